"use strict";
// gpsc web page: plain JavaScript, no build step, no external network. It only calls the gpsc API.

const $ = (selector) => document.querySelector(selector);
const VERDICT = {
  eligible: ["可以作为政府购买服务", "属于本部门指导性目录的服务事项，未触及负面清单。"],
  ineligible: ["不得作为政府购买服务", "触及《政府购买服务管理办法》第十条负面清单或不属于购买服务，见下方理由。"],
  review: ["需要人工核实", "系统没有足够把握：可能不在本部门目录内、属于其他部门目录，或用途不清。"],
};
const FRIENDLY = {
  malformed_json: "请求格式不对。",
  invalid_request: "填写的内容不完整或不符合要求：",
  empty_text: "请先填写采购项目。",
  text_too_long: "文字太长（每行最多 2000 字）。",
  unknown_department: "找不到这个部门：",
  unauthorized: "审定人令牌无效或已停用：",
  forbidden: "不能修改其他审定人的记录：",
  invalid_review: "审定内容有误：",
  unsupported_file_type: "只能上传 .csv 或 .xlsx 文件。",
  bad_file: "文件无法读取：",
  column_not_found: "请选择要用的列：",
  upload_too_large: "文件太大，最大 20 MB。",
  too_many_items: "一次提交的条目太多。",
  not_found: "没有找到。",
};
// the Chinese words for rules, verdicts, audit kinds, 品目 types and columns: /static/words.js, generated from
// service/words.py, the table the sheets use too
const RULES = WORDS.rules;
const PINMU_TYPE = WORDS.pinmuTypes;
const VERDICT_SHORT = WORDS.verdicts; // a sheet's preview (the card and the counts use the long titles above)
const AUDIT = WORDS.audit; // audit kinds, most serious first (classifier/eligibility/_kinds.py)
const COLUMNS = WORDS.columns;
const CANDIDATE_FLOOR = 0.1; // a candidate leaf below this likeness is no help to the person checking
// The parser's notes (catalog/_canonical.py, _parse.py: what was printed, what was decided) are written in
// Chinese at the source and shown as they are (a browser test checks that no English reaches the page).
function anomalyText(a) {
  return `${a.printed ?? ""} → ${a.decided ?? ""}`;
}

// one number format everywhere (the reasons, the sheets and the command line write 0.92 too)
function score(value) {
  return Number(value).toFixed(2);
}

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function friendlyError(body, status) {
  const error = body && body.error;
  if (!error) return `服务返回了错误（${status}）。`;
  if (error.code === "unknown_department") {
    // “所附目录中没有“X”的部门章节；最接近的部门章节：…” (catalog/_errors.py)
    return `${error.message}。` + (error.message.includes("最接近") ? "" : "请换一种写法，如“县民政局”“人社局”。");
  }
  const lead = FRIENDLY[error.code] || "出错了：";
  return lead.endsWith("：") ? `${lead}${error.message}` : `${lead}（详情：${error.message}）`;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message;
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
}

function clearError() {
  $("#error").hidden = true;
}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    throw new Error("无法连接 gpsc 服务，请检查网络或联系管理员。");
  }
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new Error(friendlyError(body, response.status));
  return body;
}

// ---------------------------------------------------------------- tabs (keyboard: arrows, Home, End)
const tabs = ["check", "sheet", "catalog", "queue"];
function selectTab(name, focus = false) {
  for (const t of tabs) {
    const tab = $(`#tab-${t}`);
    const on = t === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  clearError();
}
for (const t of tabs) {
  const tab = $(`#tab-${t}`);
  tab.addEventListener("click", () => selectTab(t));
  tab.addEventListener("keydown", (event) => {
    const i = tabs.indexOf(t);
    const n = tabs.length; // every tab, 待审定 included
    const next = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      selectTab(tabs[next], true);
    }
  });
}

// ---------------------------------------------------------------- start-up
// a first use trains the model for half a minute: the page says so, with the step, until it is ready
async function waitForModel() {
  for (;;) {
    const health = await api("/health");
    if (health.ready) {
      $("#preparing").hidden = true;
      return health;
    }
    $("#preparing").hidden = false;
    $("#preparing").textContent = health.preparing ? health.preparing.message : "正在准备模型…";
    if (health.status === "failed") throw new Error(health.preparing.message);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function start() {
  try {
    const health = await waitForModel();
    $("#catalog-version").textContent = `（${health.catalog_version}）`;
    const data = await api("/v1/catalog/departments");
    $("#departments").innerHTML = data.departments.map((d) => `<option value="${escapeHtml(d.title)}">`).join("");
  } catch (e) {
    showError(e.message);
  }
}

// ---------------------------------------------------------------- one purchase
function leafPath(leaf) {
  return leaf.path.map((p) => escapeHtml(p.name)).join(" › ");
}

function catalogButton(leaf, label) {
  return `<button type="button" class="link show-in-catalog" data-department="${escapeHtml(leaf.department)}" data-code="${escapeHtml(leaf.code)}">${label}</button>`;
}

function renderVerdict(v) {
  const [title, meaning] = VERDICT[v.verdict];
  // a leaf the team decided carries no model score: the card says who named it, never “匹配度 1.00”
  const match = v.match
    ? `<p class="leaf">目录条目：<code>${escapeHtml(v.match.code)}</code> ${leafPath(v.match)}
         （${escapeHtml(v.match.department)}，${v.review ? "人工审定" : `匹配度 ${score(v.match.score)}`}） ${catalogButton(v.match, "在目录中查看")}</p>`
    : "";
  const decidedPinmu = v.review && v.review.pinmu_code && v.pinmu && v.pinmu.code === v.review.pinmu_code;
  const pinmu = v.pinmu
    ? `<p class="pinmu">品目：<code>${escapeHtml(v.pinmu.code)}</code> ${escapeHtml(v.pinmu.name)}（${PINMU_TYPE[v.pinmu.type]}，${decidedPinmu ? "人工审定" : score(v.pinmu.score)}）</p>`
    : v.type
      ? `<p class="pinmu">所购类型：${PINMU_TYPE[v.type]}（把握 ${score(v.type_score)}；具体品目未能确定）</p>`
      : "";
  const scope = v.scope && v.scope.set_aside.length
    ? `<p class="hint">采购内容：${escapeHtml(v.scope.core)}（略去：${v.scope.set_aside.map((p) => escapeHtml(p.text)).join("；")}）</p>`
    : "";
  const buyer = v.buyer && !v.department ? `${v.buyer}（所附目录中没有本部门的章节）` : (v.department || "未指定");
  const reasons = v.reasons
    .map((r) => `<li><strong>${escapeHtml(RULES[r.rule] || "其他")}</strong>：${escapeHtml(r.message)}<span class="basis">依据：${escapeHtml(r.basis)}</span></li>`)
    .join("");
  // candidates help only a line left to a person, and only those with some likeness: never under a goods or
  // works verdict, nor a list of 1-6 % leaves
  const helpful = v.verdict === "review" && !v.review ? v.candidates.filter((c) => c.score >= CANDIDATE_FLOOR) : [];
  const alternatives = helpful
    .map((c) => `<li><code>${escapeHtml(c.code)}</code> ${escapeHtml(c.name)} <span class="hint">${escapeHtml(c.department)} · ${score(c.score)}</span> ${catalogButton(c, "查看")}</li>`)
    .join("");
  const elsewhere = v.elsewhere
    ? `<p>其他部门目录中更符合：<code>${escapeHtml(v.elsewhere.code)}</code> ${escapeHtml(v.elsewhere.name)}（${escapeHtml(v.elsewhere.department)}） ${catalogButton(v.elsewhere, "查看")}</p>`
    : "";
  const review = v.review
    ? `<p class="reviewed">人工审定：${escapeHtml(v.review.reviewer)} 于 ${escapeHtml(v.review.created_at.slice(0, 10))} 审定${
        v.model_verdict && v.model_verdict !== v.verdict ? `（模型判定为“${escapeHtml(WORDS.verdicts[v.model_verdict])}”）` : ""}${
        v.review.note ? `。备注：${escapeHtml(v.review.note)}` : ""}</p>`
    : "";
  $("#check-result").innerHTML = `
    <article class="card result" data-verdict="${v.verdict}">
      <span class="verdict ${v.verdict}">${title}</span>
      <p class="meaning">${meaning}</p>
      ${review}
      <p>采购项目：${escapeHtml(v.text)}　购买部门：${escapeHtml(buyer)}</p>
      ${scope}
      ${pinmu}
      ${match}
      <h3>理由</h3><ul class="reasons">${reasons}</ul>
      ${elsewhere}
      ${alternatives ? `<h3>可能的目录条目（供核实）</h3><ol class="alternatives">${alternatives}</ol>` : ""}
    </article>`;
}

$("#check-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError();
  const text = $("#check-text").value.trim();
  if (!text) {
    showError("请先填写采购项目。");
    $("#check-text").focus();
    return;
  }
  const body = { text, department: $("#check-department").value.trim() || null, detail: $("#check-detail").value.trim() || null };
  $("#check-result").innerHTML = '<p class="hint">核查中…</p>';
  try {
    const verdict = await api("/v1/check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    renderVerdict(verdict);
    showReviewForm(verdict, body);
  } catch (e) {
    $("#check-result").innerHTML = "";
    showError(e.message);
  }
});

// ---------------------------------------------------------------- the team's decisions
let reviewing = null; // the line the decision form is about
function showReviewForm(verdict, body) {
  reviewing = body;
  // the form starts neutral: no verdict, no leaf, no 品目 that the person did not choose (a standing decision
  // is shown as it was recorded)
  const current = verdict.review || {};
  $("#review-verdict").value = current.verdict || "";
  const decided = current.code ? (current.code_department && current.code_department !== verdict.department ? `${current.code_department}/${current.code}` : current.code) : "";
  $("#review-code").value = decided;
  $("#review-pinmu").value = current.pinmu_code || "";
  $("#review-note").value = "";
  $("#review-token").value = localStorage.getItem("gpsc-reviewer-token") || "";
  $("#review-forget").hidden = !localStorage.getItem("gpsc-reviewer-token");
  $("#review-status").textContent = "";
  $("#review-form").hidden = false;
}

$("#review-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError();
  if (!$("#review-verdict").value) {
    showError("请选择审定结论。");
    $("#review-verdict").focus();
    return;
  }
  const token = $("#review-token").value.trim();
  if (!token) {
    showError("请填写审定人令牌（由管理员用 gpsc reviewers add 生成）。");
    $("#review-token").focus();
    return;
  }
  const body = {
    text: reviewing.text,
    department: reviewing.department,
    verdict: $("#review-verdict").value,
    code: $("#review-code").value.trim() || null,
    pinmu_code: $("#review-pinmu").value.trim() || null,
    note: $("#review-note").value.trim() || null,
  };
  try {
    const entry = await api("/v1/reviews", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    localStorage.setItem("gpsc-reviewer-token", token); // kept only once the server has accepted it
    $("#review-forget").hidden = false;
    $("#review-status").textContent = `已保存（第 ${entry.id} 号审定，审定人 ${entry.reviewer}）`;
    const verdict = await api("/v1/check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(reviewing) });
    renderVerdict(verdict);
  } catch (e) {
    showError(e.message);
  }
});

$("#review-forget").addEventListener("click", () => {
  // 退出: this browser forgets the token (on a shared computer, the next person cannot record as you)
  localStorage.removeItem("gpsc-reviewer-token");
  $("#review-token").value = "";
  $("#review-forget").hidden = true;
  $("#review-status").textContent = "已退出：本浏览器不再保存审定人令牌。";
});

async function emptyQueueWords() {
  // an empty queue on a server without a review record says why: nothing is recorded until a database exists
  try {
    const health = await api("/health");
    if (health.database === "none") {
      return '<p class="card">没有待审定的项目：这个服务还没有审定记录数据库（第一次记录审定时自动建立，或用 gpsc serve --db 指定），所以不记录待审定的条目。</p>';
    }
    if (health.database === "unavailable") {
      return `<p class="card">审定记录数据库暂时无法读取：${escapeHtml(health.database_message || "")}</p>`;
    }
  } catch (e) {
    // the queue itself answered: say only that it is empty
  }
  return '<p class="card">没有待审定的项目。</p>';
}

async function loadQueue() {
  clearError();
  try {
    const queue = await api("/v1/reviews/queue");
    $("#queue-list").innerHTML = queue.count
      ? `<ol class="queue">${queue.data.map((q, k) => `<li><strong>${escapeHtml(q.text)}</strong>
          <span class="hint">${escapeHtml(q.department || "未指定部门")} · ${q.count} 行${q.units.length ? " · " + q.units.map(escapeHtml).join("、") : ""}</span>
          <button type="button" class="decide" data-k="${k}">审定</button></li>`).join("")}</ol>`
      : await emptyQueueWords();
    for (const button of document.querySelectorAll("#queue-list .decide")) {
      button.addEventListener("click", () => {
        const q = queue.data[Number(button.dataset.k)];
        $("#check-text").value = q.text;
        $("#check-department").value = q.units[0] || q.department || "";
        selectTab("check");
        $("#check-form").requestSubmit();
      });
    }
  } catch (e) {
    showError(e.message);
  }
}
$("#queue-refresh").addEventListener("click", loadQueue);
$("#tab-queue").addEventListener("click", loadQueue);

for (const button of document.querySelectorAll(".example")) {
  button.addEventListener("click", () => {
    $("#check-text").value = button.dataset.text;
    $("#check-department").value = button.dataset.department;
    $("#check-detail").value = "";
    $("#check-form").requestSubmit();
  });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest(".show-in-catalog");
  if (button) showInCatalog(button.dataset.department, button.dataset.code);
});

// ---------------------------------------------------------------- sheets
let sheetHeader = [];
const mode = () => document.querySelector('input[name="mode"]:checked').value;

function fillSelect(select, names, chosen, allowNone) {
  // no guess and no “none”: the person chooses (the first column is often a 序号 or a title, never a guess)
  const none = allowNone ? '<option value="">（无）</option>' : chosen ? "" : '<option value="" selected disabled>（请选择）</option>';
  select.innerHTML = none +
    names.map((n) => `<option value="${escapeHtml(n)}"${n === chosen ? " selected" : ""}>${escapeHtml(n)}</option>`).join("");
}

for (const radio of document.querySelectorAll('input[name="mode"]')) {
  radio.addEventListener("change", () => {
    $("#sheet-code-wrap").hidden = mode() !== "audit";
    $("#sheet-result").innerHTML = "";
  });
}

$("#sheet-file").addEventListener("change", async () => {
  clearError();
  $("#sheet-result").innerHTML = "";
  $("#sheet-run").disabled = true;
  $("#sheet-columns").hidden = true;
  const file = $("#sheet-file").files[0];
  if (!file) return;
  if (file.size > 20 * 1024 * 1024) {
    showError("文件太大，最大 20 MB。");
    return;
  }
  const form = new FormData();
  form.append("file", file);
  $("#sheet-status").textContent = "读取表头…";
  try {
    const info = await api("/v1/sheet/columns", { method: "POST", body: form });
    sheetHeader = info.header;
    fillSelect($("#sheet-text-column"), info.header, info.guess.text, false);
    fillSelect($("#sheet-department-column"), info.header, info.guess.department, true);
    fillSelect($("#sheet-code-column"), info.header, info.guess.code, true);
    fillSelect($("#sheet-pinmu-column"), info.header, info.guess.pinmu, true);
    $("#sheet-columns").hidden = false;
    $("#sheet-code-wrap").hidden = mode() !== "audit";
    $("#sheet-run").disabled = !$("#sheet-text-column").value;
    const found = info.layout && info.layout.notes.length ? `；${info.layout.notes.join("；")}` : "";
    $("#sheet-status").textContent = `${info.header.length} 列，约 ${info.rows} 行${found}`;
  } catch (e) {
    $("#sheet-status").textContent = "";
    showError(e.message);
  }
});

function sheetForm(format, headers) {
  const form = new FormData();
  form.append("file", $("#sheet-file").files[0]);
  form.append("text_column", $("#sheet-text-column").value);
  const department = $("#sheet-department").value.trim();
  if (department) form.append("department", department);
  else if ($("#sheet-department-column").value) form.append("department_column", $("#sheet-department-column").value);
  if (mode() === "audit") {
    // either declaration is enough: a procurement list has a 品目 and no guidance-catalog code
    if ($("#sheet-code-column").value) form.append("code_column", $("#sheet-code-column").value);
    if ($("#sheet-pinmu-column").value) form.append("pinmu_column", $("#sheet-pinmu-column").value);
  }
  form.append("format", format);
  if (headers) form.append("headers", headers);
  return form;
}

function upload(path, form, responseType) {
  // XMLHttpRequest rather than fetch: it reports upload progress
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", path);
    request.responseType = responseType;
    const bar = $("#sheet-progress");
    bar.hidden = false;
    bar.value = 0;
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    };
    request.upload.onload = () => {
      bar.removeAttribute("value");
      $("#sheet-status").textContent = "上传完成，正在逐行判断…";
    };
    request.onerror = () => reject(new Error("无法连接 gpsc 服务，请检查网络或联系管理员。"));
    request.onload = async () => {
      bar.hidden = true;
      if (request.status >= 200 && request.status < 300) return resolve(request.response);
      let body = request.response;
      if (body instanceof Blob) body = JSON.parse(await body.text());
      reject(new Error(friendlyError(body, request.status)));
    };
    request.send(form);
  });
}

function download(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// one row's reasons: its Chinese gpsc_reasons ("货物：… | 工程：…") split into items
function splitReasons(cell) {
  return String(cell ?? "").split(" | ").filter(Boolean).map((part) => {
    const at = part.indexOf("：");
    return at > 0 ? { title: part.slice(0, at), message: part.slice(at + 1) } : { title: "", message: part };
  });
}

let textColumnShown = null; // the sheet's purchase-text column, given room in the preview
function cellHtml(name, row, header) {
  const value = row[header.indexOf(name)];
  switch (name) {
    case "gpsc_verdict":
      return `<td class="verdict-cell v-${escapeHtml(value)}">${escapeHtml(VERDICT_SHORT[value] || value)}</td>`;
    case "gpsc_audit":
      return `<td class="audit-cell a-${escapeHtml(value)}">${escapeHtml(AUDIT[value] || value)}</td>`;
    case "gpsc_pinmu_type":
      return `<td>${escapeHtml(PINMU_TYPE[value] || value)}</td>`;
    case "gpsc_score":
      return `<td>${value === "" || value == null ? "" : score(value)}</td>`;
    case "gpsc_code":
      return `<td>${value ? `<code>${escapeHtml(value)}</code>` : ""}</td>`;
    case "gpsc_basis": // the basis of each of the row's reasons, once each
      return `<td class="basis-cell">${String(value ?? "").split(" | ").filter(Boolean).map(escapeHtml).join("<br>")}</td>`;
    case "gpsc_audit_reason":
      return `<td class="reasons-cell">${escapeHtml(value)}</td>`;
    case "gpsc_reasons": {
      // the basis under the reasons, wrapped in the same cell: readable without a scroll to a far column
      const items = splitReasons(value).map((r) => `<li>${r.title ? `<strong>${escapeHtml(r.title)}</strong>：` : ""}${escapeHtml(r.message)}</li>`);
      const basis = String(row[header.indexOf("gpsc_basis")] ?? "").split(" | ").filter(Boolean);
      const cited = basis.length ? `<p class="cell-basis">依据：${basis.map(escapeHtml).join("；")}</p>` : "";
      return `<td class="reasons-cell"><ul class="cell-reasons">${items.join("")}</ul>${cited}</td>`;
    }
    case "gpsc_name": // the leaf: its code and name in one cell
      return `<td>${value ? `<code>${escapeHtml(row[header.indexOf("gpsc_code")])}</code> ${escapeHtml(value)}` : ""}</td>`;
    default:
      return `<td${name === textColumnShown ? ' class="text-cell"' : ""}>${escapeHtml(value)}</td>`;
  }
}

// the audit's problems: every one the service lists, grouped by kind (most serious first), with a filter per kind
function renderProblems(problems, counts) {
  const kinds = Object.keys(AUDIT).filter((k) => k !== "ok" && k !== "not_declared" && counts[k] > 0);
  const total = kinds.reduce((n, k) => n + counts[k], 0);
  const ok = (counts.ok ? `<p>无问题：${counts.ok} 行。</p>` : "") + (counts.not_declared ? `<p>未申报：${counts.not_declared} 行。</p>` : "");
  if (!total) return `<h3>审核结果</h3><p class="audit-none">没有发现问题：申报都与项目相符。</p>${ok}`;
  const filter = [`<button type="button" class="filter" data-kind="" aria-pressed="true">全部问题（${total}）</button>`,
    ...kinds.map((k) => `<button type="button" class="filter" data-kind="${k}" aria-pressed="false">${escapeHtml(AUDIT[k])}（${counts[k]}）</button>`)].join("");
  const groups = kinds.map((k) => {
    const items = problems.filter((p) => p.kind === k);
    const missing = counts[k] - items.length;
    return `<section class="problem-group" data-kind="${k}">
      <h4>${escapeHtml(AUDIT[k])} <span class="count">${counts[k]} 条</span></h4>
      <ol class="problems">${items.map((p) => `<li data-kind="${k}"><span class="row-no">第 ${p.row} 行</span> ${escapeHtml(p.text)}：${escapeHtml(p.reason)}</li>`).join("")}</ol>
      ${missing > 0 ? `<p class="hint">另有 ${missing} 条没有列出，见下载的文件（每一行都有审核结果）。</p>` : ""}
    </section>`;
  }).join("");
  const cut = problems.length < total
    ? `<p class="hint">服务只列出最有把握的 ${problems.length} 条问题；全部 ${total} 条见下载的文件。</p>`
    : "";
  return `<h3>审核发现的问题（共 ${total} 条）</h3>${ok}
    <div class="chips audit-filter" role="group" aria-label="按问题类型筛选">${filter}</div>${cut}
    <div class="problem-groups">${groups}</div>`;
}

function filterProblems(kind) {
  for (const button of document.querySelectorAll(".audit-filter .filter")) button.setAttribute("aria-pressed", String(button.dataset.kind === kind));
  for (const group of document.querySelectorAll(".problem-group")) group.hidden = Boolean(kind) && group.dataset.kind !== kind;
}

function renderSheet(result) {
  const { header, rows, summary, problems } = result;
  const audit = Boolean(summary.audit);
  const textColumn = summary.columns.text;
  textColumnShown = textColumn;
  // the verdict, the line, the leaf and the reasons (with their basis) first: on a phone the first columns are
  // the ones on screen; a column empty in every previewed row takes no room
  const previewed = rows.slice(0, 50);
  const show = ["gpsc_verdict", ...(audit ? ["gpsc_audit"] : []), textColumn, "gpsc_name", ...(audit ? ["gpsc_audit_reason"] : []),
    "gpsc_reasons", summary.columns.department, summary.columns.code, "gpsc_score"]
    .filter((name) => name && header.includes(name))
    .filter((name) => previewed.some((row) => String(row[header.indexOf(name)] ?? "") !== ""));
  const body = previewed.map((row) => `<tr>${show.map((name) => cellHtml(name, row, header)).join("")}</tr>`).join("");
  const skipped = summary.skipped || {};
  const judged = Object.values(summary.verdicts).reduce((n, k) => n + k, 0);
  const asideWords = [["total", "合计行"], ["subtotal", "单位小计行"], ["numbering", "栏次行"], ["note", "说明行"], ["blank", "空行"]]
    .filter(([k]) => skipped[k]).map(([k, w]) => `${skipped[k]} 个${w}`);
  const aside = asideWords.length ? `（另有 ${asideWords.join("、")}，保留原样、不作判断）` : "";
  const counts = Object.entries(summary.verdicts).map(([k, n]) => `<span class="chip v-${k}">${escapeHtml(VERDICT[k] ? VERDICT[k][0] : k)}：${n}</span>`).join("");
  $("#sheet-result").innerHTML = `
    <article class="card sheet-summary">
      <p>共判断 <strong class="row-count">${judged}</strong> 行${aside}。项目名称列：${escapeHtml(textColumn)}${summary.columns.department ? "；部门列：" + escapeHtml(summary.columns.department) : ""}${summary.columns.code ? "；申报代码列：" + escapeHtml(summary.columns.code) : ""}</p>
      ${(summary.layout && summary.layout.notes.length) ? `<p class="hint">${summary.layout.notes.map(escapeHtml).join("；")}</p>` : ""}
      <div class="chips verdict-counts">${counts}</div>
      ${audit ? `<div class="audit">${renderProblems(problems, summary.audit)}</div>` : ""}
      <div class="row"><button type="button" id="download-csv" class="primary">下载 CSV</button><button type="button" id="download-xlsx">下载 Excel</button></div>
    </article>
    <p class="hint">预览前 ${Math.min(50, rows.length)} 行（下载的文件包含全部行和原有各列，判断结果加在各列之后）：</p>
    <div class="table-wrap"><table class="preview"><thead><tr>${show.map((h) => `<th scope="col">${escapeHtml(COLUMNS[h] || h)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table></div>`;
  for (const button of document.querySelectorAll(".audit-filter .filter")) button.addEventListener("click", () => filterProblems(button.dataset.kind));
  const base = ($("#sheet-file").files[0].name || "sheet").replace(/\.[^.]+$/, "");
  // both downloads come from the service, with Chinese headers and verdicts (the preview's JSON keeps the machine names)
  for (const format of ["csv", "xlsx"]) {
    $(`#download-${format}`).addEventListener("click", async () => {
      clearError();
      try {
        download(await upload(`/v1/${mode()}`, sheetForm(format, "zh"), "blob"), `${base}.gpsc.${format}`);
        $("#sheet-status").textContent = "已下载";
      } catch (e) {
        showError(e.message);
      }
    });
  }
}

$("#sheet-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError();
  if (!$("#sheet-file").files[0]) {
    showError("请先选择文件。");
    return;
  }
  $("#sheet-run").disabled = true;
  $("#sheet-status").textContent = "上传中…";
  try {
    const result = await upload(`/v1/${mode()}`, sheetForm("json"), "json");
    renderSheet(result);
    $("#sheet-status").textContent = "完成";
  } catch (e) {
    $("#sheet-status").textContent = "";
    showError(e.message);
  } finally {
    $("#sheet-run").disabled = false;
  }
});

// ---------------------------------------------------------------- catalog
let shownDepartment = null;

async function loadSection(name) {
  const section = await api(`/v1/catalog/departments/${encodeURIComponent(name)}`);
  const children = new Map();
  for (const node of section.nodes) {
    const key = node.parent || "";
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(node);
  }
  const notes = (node) => {
    const parts = [];
    if (node.implied) parts.push("原文缺少此行，按下级代码补出");
    if (node.repair) parts.push(`代码已更正：原文第 ${node.line} 行印作 ${node.printed_code}`);
    if (node.section_name !== node.name) parts.push(`本部门原文写作“${node.section_name}”`);
    return parts.length ? ` <span class="note">（${escapeHtml(parts.join("；"))}）</span>` : "";
  };
  // the 品目 C code the node is filed under in the procurement plan; a tentative (unsure) one says so
  const pinmu = (node) => node.pinmu
    ? ` <span class="pinmu" title="政府采购品目">品目 <code>${escapeHtml(node.pinmu.code)}</code> ${escapeHtml(node.pinmu.name)}${node.pinmu.method === "exact" || node.pinmu.method === "reviewed" ? "" : "（推定）"}</span>`
    : "";
  const render = (node) => {
    if (node.level === 4) {
      return `<div class="leafnode" id="leaf-${escapeHtml(node.code)}" tabindex="-1"><code>${escapeHtml(node.code)}</code> ${escapeHtml(node.name)}${notes(node)}${pinmu(node)}</div>`;
    }
    const inner = (children.get(node.code) || []).map(render).join("");
    return `<details data-code="${escapeHtml(node.code)}"${node.level <= 2 ? " open" : ""}><summary><code>${escapeHtml(node.code)}</code> ${escapeHtml(node.name)}${notes(node)}${pinmu(node)}</summary>${inner}</details>`;
  };
  const anomalies = section.anomalies.map((a) => `<li>${a.line ? `第 ${escapeHtml(a.line)} 行 · ` : ""}<strong>${escapeHtml(a.kind_name || "其他")}</strong>：${escapeHtml(anomalyText(a))}</li>`).join("");
  $("#catalog-tree").innerHTML = `
    <article class="card"><h2 class="section-title">${escapeHtml(section.title)}</h2>
      <div class="tree">${(children.get("") || []).map(render).join("")}</div>
      ${anomalies ? `<h3>解析说明（原文中的问题及处理）</h3><ul class="anomalies">${anomalies}</ul>` : ""}
    </article>`;
  shownDepartment = section.title;
  return section;
}

async function showInCatalog(department, code) {
  selectTab("catalog");
  $("#catalog-department").value = department;
  try {
    if (shownDepartment !== department) await loadSection(department);
    for (const old of document.querySelectorAll(".leafnode.highlight")) old.classList.remove("highlight");
    const leaf = document.getElementById(`leaf-${code}`);
    if (!leaf) return;
    for (let el = leaf.parentElement; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
    leaf.classList.add("highlight");
    leaf.scrollIntoView({ block: "center" });
    leaf.focus();
  } catch (e) {
    showError(e.message);
  }
}

$("#catalog-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError();
  const name = $("#catalog-department").value.trim();
  if (!name) {
    showError("请填写部门名称。");
    return;
  }
  try {
    await loadSection(name);
  } catch (e) {
    showError(e.message);
  }
});

async function searchCatalog() {
  clearError();
  const q = $("#catalog-search").value.trim();
  if (!q) return;
  const department = $("#catalog-department").value.trim();
  const params = new URLSearchParams({ q, limit: "30" });
  if (department) params.set("department", department);
  try {
    let { hits } = await api(`/v1/catalog/search?${params}`);
    let lead = "";
    if (!hits.length && department) {
      // nothing in this department: look in all of them rather than answer "nothing"
      params.delete("department");
      hits = (await api(`/v1/catalog/search?${params}`)).hits;
      if (hits.length) lead = `<p class="hint">${escapeHtml(department)} 的目录中没有，以下是其他部门目录中的结果：</p>`;
    }
    $("#catalog-hits").innerHTML = lead + (hits.length
      ? `<ul class="card hits">${hits.map((h) => `<li>${catalogButton(h, `${escapeHtml(h.department)} / <code>${escapeHtml(h.code)}</code>`)} ${h.path.map((p) => escapeHtml(p.name)).join(" › ")}${h.printed_code ? ` <span class="note">原文印作 ${escapeHtml(h.printed_code)}，已按上级代码更正</span>` : ""}</li>`).join("")}</ul>`
      : '<p class="card">没有找到匹配的条目。</p>');
  } catch (e) {
    showError(e.message);
  }
}
$("#catalog-search-button").addEventListener("click", searchCatalog);
$("#catalog-search").addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    searchCatalog();
  }
});

start();
