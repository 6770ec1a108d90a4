"""Alembic's entry point for the review record, run by ``service.reviews`` on every open that finds an old schema.

The store passes its own open connection (``config.attributes["connection"]``), already inside a transaction
that holds the migration lock, so the migrations run in that transaction; there is no ``alembic.ini``.

A new revision: copy ``versions/0001_initial.py`` to ``versions/0002_<what>.py``, set ``revision = "0002"`` and
``down_revision = "0001"``, write ``upgrade``/``downgrade`` with ``op``, and change ``_schema.py`` to match (a
test compares the two on SQLite and PostgreSQL).
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
