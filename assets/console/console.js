// The briefing room's console: steers the wall through /api/v1/ (docs/api.md).
// No framework, nothing fetched from outside: it ships inside the program.
"use strict";

const API = "/api/v1/";
const ROLES = { viewer: 0, presenter: 1, operator: 2, admin: 3 };
const ROLE_ZH = { viewer: "观看", presenter: "演示", operator: "值班操作", admin: "管理员" };
const $ = (id) => document.getElementById(id);

let csrf = sessionStorage.getItem("lw-csrf") || "";
let me = null;            // {account, role}
let state = null;         // the last GET state
let timer = 0, thumbUrl = "";

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : "HTTP " + status);
    this.status = status;
    this.code = body && body.error;
  }
}

// poll: the console's own refresh, which does not keep the session alive
async function api(method, path, body, poll) {
  const opts = { method, credentials: "same-origin", headers: poll ? { "X-Poll": "1" } : {} };
  if (method === "POST") {
    opts.headers["Content-Type"] = "application/json";
    opts.headers["X-CSRF-Token"] = csrf;
    opts.body = JSON.stringify(body || {});
  }
  const res = await fetch(API + path, opts);
  if (res.status === 401 && path !== "login") {
    showLogin("会话已过期，请重新登录");
    throw new ApiError(401, { message: "会话已过期" });
  }
  const type = res.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await res.json() : await res.blob();
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

function notice(text, bad) {
  const n = $("notice");
  n.textContent = text || "";
  n.style.color = bad ? "var(--red)" : "";
}

// ---- log in and out ----------------------------------------------------------

function showLogin(why) {
  clearInterval(timer);
  timer = 0;
  me = null;
  csrf = "";
  sessionStorage.removeItem("lw-csrf");
  $("console").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = why || "";
  $("name").focus();
}

async function login(ev) {
  ev.preventDefault();
  $("login-error").textContent = "";
  try {
    const r = await api("POST", "login", { name: $("name").value, password: $("password").value });
    csrf = r.csrf;
    sessionStorage.setItem("lw-csrf", csrf);
    $("password").value = "";
    enter({ account: r.account, role: r.role });
  } catch (e) {
    $("login-error").textContent = e.message;
  }
}

async function logout() {
  try { await api("POST", "logout"); } catch (e) { /* gone already */ }
  showLogin("已退出");
}

function enter(who) {
  me = who;
  $("login").hidden = true;
  $("console").hidden = false;
  $("me").textContent = `${me.account}（${ROLE_ZH[me.role] || me.role}）`;
  const steer = ROLES[me.role] >= ROLES.presenter;
  document.querySelectorAll(".keys button, .pickers select, #take, #release").forEach((b) => {
    b.disabled = !steer;
  });
  loadScenes();
  refresh();
  timer = setInterval(refresh, 1000);
}

// ---- what the wall shows -------------------------------------------------------

async function loadScenes() {
  const s = await api("GET", "scenes");
  const list = $("scenes");
  list.textContent = "";
  for (const sc of s.scenes) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = sc.title;
    b.dataset.scene = sc.name;
    b.disabled = ROLES[me.role] < ROLES.presenter;
    b.addEventListener("click", () => steer("show", sceneChoice(sc)));
    li.append(b);
    list.append(li);
  }
  fillSelect($("region"), s.regions, "city");
  fillSelect($("period"), s.periods, "period");
}

// A scene with the region and month chosen above, where it has them and
// they differ from its own: 禹州市 stays 禹州市 from scene to scene.
function sceneChoice(sc) {
  const params = {};
  for (const [param, sel] of [["city", $("region")], ["period", $("period")]]) {
    const p = sc.params.find((q) => q.name === param);
    if (p && sel.value && sel.value !== p.default) params[param] = sel.value;
  }
  return Object.keys(params).length ? { scene: sc.name, params } : { scene: sc.name };
}

function fillSelect(sel, choices, param) {
  sel.textContent = "";
  for (const c of choices) {
    const o = document.createElement("option");
    o.value = c.value;
    o.textContent = c.label;
    sel.append(o);
  }
  sel.onchange = () => steer("show", { params: { [param]: sel.value } });
}

async function refresh() {
  try {
    state = await api("GET", "state", null, true);
  } catch (e) {
    if (e.status !== 401) notice("大屏无响应：" + e.message, true);
    return;
  }
  const crumbs = state.breadcrumb.length > 1 ? "　" + state.breadcrumb.join(" › ") : "";
  const age = state.data_age_s >= 0 ? `，数据 ${Math.round(state.data_age_s)} 秒前` : "";
  $("where").textContent = `${state.title}${crumbs}${state.paused ? "　已暂停" : ""}` +
    `${state.blank ? "　黑屏中" : ""}${state.alert ? "　预警接管中" : ""}${age}`;
  const h = state.control.holder;
  $("holder").textContent = h ? `控制：${h}` : "控制：空闲";
  $("take").hidden = state.you.control;
  $("release").hidden = !state.you.control;
  $("pause").textContent = state.paused ? "继续轮播" : "暂停轮播";
  $("pause").classList.toggle("on", state.paused);
  $("blank").textContent = state.blank ? "亮屏" : "黑屏";
  $("blank").classList.toggle("on", state.blank);
  $("online").textContent = state.logged_in.join("、");
  if (state.you.notice) notice(state.you.notice, true);
  for (const [param, sel] of [["city", $("region")], ["period", $("period")]])
    if (state.params[param] && document.activeElement !== sel) sel.value = state.params[param];
  document.querySelectorAll("#scenes button").forEach((b) => {
    b.classList.toggle("on", b.dataset.scene === state.scene);
  });
  refreshThumb();
  refreshWarnings();
}

async function refreshThumb() {
  const img = $("thumb");
  const width = Math.min(1280, Math.round(img.clientWidth * (window.devicePixelRatio || 1))) || 640;
  try {
    const blob = await api("GET", `screen.png?width=${width}`, null, true);
    const url = URL.createObjectURL(blob);
    img.src = url;
    if (thumbUrl) URL.revokeObjectURL(thumbUrl);
    thumbUrl = url;
  } catch (e) { /* the next second tries again */ }
}

async function refreshWarnings() {
  const w = await api("GET", "warnings", null, true);
  const body = document.querySelector("#warnings tbody");
  body.textContent = "";
  $("warn-count").textContent = `(${w.warnings.length})`;
  const act = ROLES[me.role] >= ROLES.operator;
  for (const row of w.warnings) {
    const tr = document.createElement("tr");
    const sev = document.createElement("td");
    sev.textContent = row.severity;
    sev.className = "sev-" + row.severity;
    const name = document.createElement("td");
    name.textContent = `${row.name}${row.instance ? "（" + row.instance + "）" : ""}`;
    name.title = [row.message, row.departments].filter(Boolean).join("\n");
    const st = document.createElement("td");
    st.textContent = `${row.state_name || row.state}·${row.handling || "未处理"}`;
    const ops = document.createElement("td");
    for (const [action, label] of [["ack", "确认"], ["handle", "处理"], ["urge", "一键催办"]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.disabled = !act;
      b.dataset.action = action;
      b.addEventListener("click", () => warningAction(row.id, action, label));
      ops.append(b);
    }
    tr.append(sev, name, st, ops);
    body.append(tr);
  }
}

// ---- steering and acting ------------------------------------------------------

async function steer(path, body) {
  try {
    await api("POST", path, body);
    notice("");
    refresh();
  } catch (e) {
    notice(e.message, true);
  }
}

async function warningAction(id, action, label) {
  try {
    // ids hold '@', '#' and CJK: percent-encoded UTF-8, one path segment
    const r = await api("POST", `warnings/${encodeURIComponent(id)}/${action}`, { note: "控制台" + label });
    notice(`${label}：${r.result}`);
    refreshWarnings();
  } catch (e) {
    notice(`${label}失败：${e.message}`, true);
  }
}

async function start() {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  $("take").addEventListener("click", () => steer("control", { take: true }));
  $("release").addEventListener("click", () => steer("control", { take: false }));
  $("pause").addEventListener("click", () => steer(state && state.paused ? "resume" : "pause"));
  $("blank").addEventListener("click", () => steer(state && state.blank ? "unblank" : "blank"));
  document.querySelectorAll("[data-post]").forEach((b) => {
    b.addEventListener("click", () => steer(b.dataset.post));
  });
  try {
    const s = await api("GET", "session");
    csrf = s.csrf;
    sessionStorage.setItem("lw-csrf", csrf);
    enter({ account: s.account, role: s.role });
  } catch (e) {
    showLogin("");
  }
}

start();
