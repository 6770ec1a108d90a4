"""A bounded memo of line readings, shared by the batches of one model.

Real sheets repeat: the same items every year and in every unit, written with another year, place or 文号 around
them. Each ranking's answer depends on the normalised line only (never on the batch it came in), so a reading is
kept by that key and reused by the next batch. Least recently used keys go first, so memory stays bounded on a
sheet of distinct lines; a lock makes it safe for the API's threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")

MEMO_LINES = 8_192  # readings kept per model (a few kB each); 4,096 was a third slower on a repetitive sheet
BLOCK_LINES = 500  # new lines read together: a block's dense similarity arrays stay near 30 MB, not 120 MB


class Memo(Generic[V]):
    """``get_many(keys, compute)``: the values of ``keys``, computing only the keys not yet known, once each, and
    ``block`` of them at a time (a reading's arrays grow with the lines read together).

    >>> memo = Memo(size=2)
    >>> memo.get_many(["a", "b", "a"], lambda keys: [k.upper() for k in keys])
    ['A', 'B', 'A']
    >>> memo.get_many(["a", "c"], lambda keys: [k * 2 for k in keys])  # "a" is known: only "c" is computed
    ['A', 'cc']
    >>> len(memo)
    2
    >>> blocks = []
    >>> Memo(block=2).get_many(list("abcde"), lambda keys: blocks.append(keys) or keys)
    ['a', 'b', 'c', 'd', 'e']
    >>> blocks  # new keys are computed a block at a time
    [['a', 'b'], ['c', 'd'], ['e']]
    """

    def __init__(self, size: int = MEMO_LINES, block: int = BLOCK_LINES) -> None:
        self.size, self.block = size, block
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get_many(self, keys: Sequence[Hashable], compute: Callable[[list[Hashable]], Sequence[V]]) -> list[V]:
        found: dict[Hashable, V] = {}
        with self._lock:
            for key in keys:
                if key not in found and key in self._values:
                    self._values.move_to_end(key)
                    found[key] = self._values[key]
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            computed = [
                v for start in range(0, len(missing), self.block) for v in compute(missing[start : start + self.block])
            ]
            found.update(zip(missing, computed, strict=True))
            with self._lock:
                for key, value in zip(missing, computed, strict=True):
                    self._values[key] = value
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return [found[k] for k in keys]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
