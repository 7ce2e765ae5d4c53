// Leakwatch dashboard: what every page shares. Plain JavaScript, no build step; reads the query API of the same server.
"use strict";

const LW = {};

/** GET a JSON answer of the API; a 503 (starting, rebalancing) is retried a few times, a second apart. */
LW.api = async function (path, tries = 5) {
  for (let i = 1; ; i++) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    if (response.status === 503 && i < tries) {
      await new Promise(resolve => setTimeout(resolve, 1000));
      continue;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error || ("HTTP " + response.status));
    }
    return body;
  }
};

/** A decimal string grouped by thousands, its digits kept as they are (money is never turned into a float to show it). */
LW.decimal = function (text) {
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "-" : "") + grouped + (fraction !== undefined ? "." + fraction : "");
};

/** {"amount": "1702.31", "currency": "EUR"} -> "EUR 1,702.31" */
LW.money = function (m) {
  return m ? m.currency + " " + LW.decimal(m.amount) : "";
};

/** Amounts in several currencies, each on its own (never added together). */
LW.moneyList = function (list) {
  return list && list.length ? list.map(LW.money).join(" · ") : "none";
};

LW.el = function (tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
};

LW.badge = (text, kind) => LW.el("span", { class: "badge " + kind }, text.replace(/_/g, " ").toLowerCase());
LW.day = iso => (iso ? iso.slice(0, 10) : "");
LW.accountLink = id => LW.el("a", { href: "account.html?id=" + encodeURIComponent(id) }, id);
LW.words = s => s.replace(/_/g, " ").toLowerCase().replace(/^./, c => c.toUpperCase());

/** The page header: the pages and a box to open an account. */
LW.header = function (here) {
  const link = (href, text) => LW.el("a", { href, class: href === here ? "here" : null }, text);
  const form = LW.el("form", { onsubmit: e => {
    e.preventDefault();
    const id = form.querySelector("input").value.trim();
    if (id) location.href = "account.html?id=" + encodeURIComponent(id);
  } }, LW.el("input", { placeholder: "Open account, e.g. acct-00027", "aria-label": "account id" }));
  document.body.prepend(LW.el("header", {}, LW.el("span", { class: "brand" }, "Leakwatch"),
    link("./", "Overview"), link("alerts.html", "Alert feed"), form));
};

LW.fail = function (where, error) {
  where.replaceChildren(LW.el("p", { class: "error" }, "Could not load: " + error.message));
};

// ---------------------------------------------------------------------------------------------- alerts and actions

const ACTIONS = [["ACKNOWLEDGE", "Acknowledge"], ["RESOLVE", "Resolve"], ["FALSE_POSITIVE", "False positive"]];
/** The status each action leads to, to tell when /api/alerts shows it applied. */
const RESULT = { ACKNOWLEDGE: "ACKNOWLEDGED", RESOLVE: "RESOLVED", FALSE_POSITIVE: "FALSE_POSITIVE" };

/** One alert: what, how much, why, what to do, the evidence, and the actions. */
LW.alert = function (a, showAccount) {
  const evidence = LW.el("dl", {}, Object.entries(a.evidence || {}).map(([k, v]) =>
    [LW.el("dt", {}, k.replace(/_/g, " ")), LW.el("dd", {}, v)]));
  const node = LW.el("div", { class: "alert", "data-alert-id": a.alert_id, "data-status": a.status },
    LW.el("div", { class: "head" },
      LW.badge(a.status, "status st-" + a.status),
      LW.badge(a.severity, "sev-" + a.severity),
      LW.el("strong", {}, LW.words(a.type)),
      showAccount ? (a.account_id === "UNATTRIBUTED" ? LW.el("span", {}, "no account")
        : LW.accountLink(a.account_id)) : null,
      LW.el("span", { class: "muted" }, "detected " + LW.day(a.detected_at) + (a.revision > 1 ? " · revision " + a.revision : "")),
      LW.el("span", { class: "money" }, LW.money(a.money_at_risk))),
    LW.el("p", {}, a.explanation),
    LW.el("p", {}, LW.el("strong", {}, "Action: "), a.recommended_action),
    a.status_reason ? LW.el("p", { class: "muted status-reason" }, "Status: " + a.status_reason) : null,
    LW.el("details", {}, LW.el("summary", {}, "Evidence (" + a.evidence_key + ")"), evidence),
    LW.actions(a));
  return node;
};

/** Acknowledge / Resolve / False positive, with a comment, posted as alert feedback. */
LW.actions = function (a) {
  const comment = LW.el("textarea", { class: "comment", placeholder: "Comment (why, what was done)", rows: 1 });
  const by = LW.el("input", { class: "by", placeholder: "Your name", value: localStorage.getItem("lw.by") || "" });
  const note = LW.el("span", { class: "feedback-note muted" });
  const buttons = ACTIONS.map(([action, label]) => LW.el("button", {
    type: "button", "data-action": action,
    onclick: () => LW.sendFeedback(a, action, comment.value, by.value, buttons, note)
  }, label));
  return LW.el("div", { class: "actions" }, buttons, comment, by, note);
};

LW.sendFeedback = async function (a, action, comment, by, buttons, note) {
  localStorage.setItem("lw.by", by);
  buttons.forEach(b => (b.disabled = true));
  note.className = "feedback-note muted";
  note.textContent = "Sending…";
  try {
    const response = await fetch("/api/alerts/" + encodeURIComponent(a.alert_id) + "/feedback", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ account_id: a.account_id, action, comment, by })
    });
    if (response.status !== 202) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.error || (response.status === 404
        ? "this server does not take alert feedback (HTTP 404)" : "HTTP " + response.status));
    }
    note.textContent = "Sent; waiting for the alert to show it…";
    const status = await LW.awaitStatus(a, RESULT[action]);
    note.textContent = status ? "Now " + LW.words(status).toLowerCase() + "." : "Sent; the alert has not changed yet.";
    if (status) LW.onAlertChanged(a.alert_id);
  } catch (e) {
    note.className = "feedback-note error";
    note.textContent = "Not sent: " + e.message;
  } finally {
    buttons.forEach(b => (b.disabled = false));
  }
};

/** Polls the alert until /api/alerts reports the status expected (about 30 s at most); the status, or null. */
LW.awaitStatus = async function (a, expected) {
  for (let i = 0; i < 30; i++) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    const page = await LW.api("/api/alerts?account=" + encodeURIComponent(a.account_id) + "&limit=1000").catch(() => null);
    const now = page && page.alerts.find(x => x.alert_id === a.alert_id);
    if (now && now.status === expected) return now.status;
  }
  return null;
};

/** Each page sets what to do once an alert's status changed (reload its list). */
LW.onAlertChanged = function () { };

// ---------------------------------------------------------------------------------------------- charts

LW.palette = ["#1f5fbf", "#d9730d", "#2e8540", "#b3261e", "#6f42c1", "#0f8a8a", "#8c564b", "#c2185b", "#7f7f7f",
  "#9bb83a", "#f2b400", "#5fa8d3", "#e377c2", "#17becf", "#393b79"];

/**
 * An x axis of months: x is the month's index, each tick labelled "yyyy-MM" (every k-th month when there are many).
 * Returns {x: the scale's options, axis: the axis' options, legend: the legend's value}.
 */
LW.monthAxis = function (months) {
  const every = Math.max(1, Math.ceil(months.length / 12));
  return {
    x: { time: false, range: [-0.5, months.length - 0.5] },
    axis: { splits: () => months.map((m, i) => i).filter(i => i % every === 0),
      values: (u, ticks) => ticks.map(i => months[i] || "") },
    legend: (u, v) => (v == null ? "" : months[v] || "")
  };
};

LW.chartWidth = where => Math.max(320, where.clientWidth - 8);
