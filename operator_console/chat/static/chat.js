// Sathi trainer chat: draws the conversation as WhatsApp does. The server (chat/server.py)
// signs webhooks into the rasa server and reads the bot's messages back from the emulator.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { phone: null, items: [], pending: [], last: "", timer: null };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function clock(at) {
    const d = new Date(at * 1000);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }
  // WhatsApp's *bold* and _italic_, on text nodes only (no HTML from the bot is trusted).
  function formatted(text) {
    const frag = document.createDocumentFragment();
    const pattern = /(\*[^*\n]+\*|_[^_\n]+_)/g;
    let at = 0, m;
    while ((m = pattern.exec(text)) !== null) {
      frag.appendChild(document.createTextNode(text.slice(at, m.index)));
      frag.appendChild(el(m[0][0] === "*" ? "b" : "i", null, m[0].slice(1, -1)));
      at = m.index + m[0].length;
    }
    frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }
  function status(text, bad) {
    $("status").textContent = text || "";
    $("status").className = "status" + (bad ? " bad" : "");
  }

  async function api(path, body) {
    const opts = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
    const resp = await fetch("api/" + path, opts);
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) throw new Error(data.error || ("HTTP " + resp.status));
    return data;
  }

  // --- drawing ---------------------------------------------------------------------------
  function nluChip(item) {
    const chip = el("div", "nlu");
    chip.dataset.testid = "nlu";
    if (!item.intent) { chip.textContent = "…"; return chip; }
    const conf = el("span", "conf" + (item.confidence < 0.4 ? " low" : ""), item.confidence.toFixed(2));
    chip.appendChild(el("b", "intent", item.intent));
    chip.appendChild(document.createTextNode(" "));
    chip.appendChild(conf);
    for (const e of item.entities || []) chip.appendChild(el("div", "entity", e.entity + " = " + e.value));
    return chip;
  }
  function userRow(item, pending) {
    const row = el("div", "row out");
    row.dataset.testid = "user-message";
    row.appendChild(pending ? el("div", "nlu", "…") : nluChip(item));
    const bubble = el("div", "bubble out");
    bubble.appendChild(formatted(item.text));
    if (item.payload) bubble.appendChild(el("div", "payload", item.payload));
    const meta = el("span", "meta", (pending ? "🕓" : clock(item.at) + " ✓✓"));
    bubble.appendChild(meta);
    row.appendChild(bubble);
    return row;
  }
  function tap(kind, choice) {
    send({ type: kind, id: choice.id, title: choice.title }, choice.title);
  }
  function botRow(item) {
    const row = el("div", "row in");
    row.dataset.testid = "bot-message";
    row.dataset.type = item.type;
    const bubble = el("div", "bubble in");
    if (item.header) bubble.appendChild(el("div", "header", item.header));
    if (item.type === "document" || item.type === "template") {
      if (item.type === "template") bubble.appendChild(el("div", "tag", "টেমপ্লেট · template: " + item.name));
      const doc = el("div", "doc");
      doc.dataset.testid = "document";
      doc.appendChild(el("div", "pdf", "PDF"));
      const info = el("div", "docinfo");
      info.appendChild(el("div", "filename", item.filename));
      info.appendChild(el("div", "size", item.size ? Math.max(1, Math.round(item.size / 1024)) + " kB · PDF" : "PDF"));
      doc.appendChild(info);
      bubble.appendChild(doc);
      if (item.media_id) {
        const open = el("a", "open", "খুলুন · Open");
        open.href = "api/document/" + encodeURIComponent(item.media_id);
        open.target = "_blank";
        open.rel = "noopener";
        open.dataset.testid = "open-document";
        bubble.appendChild(open);
      }
      if (item.caption) bubble.appendChild(formatted(item.caption));
      for (const p of item.parameters || []) bubble.appendChild(el("div", "param", p));
    } else {
      bubble.appendChild(formatted(item.text || ""));
    }
    if (item.footer) bubble.appendChild(el("div", "footer", item.footer));
    bubble.appendChild(el("span", "meta", clock(item.at)));
    row.appendChild(bubble);
    if (item.type === "buttons") {
      const box = el("div", "buttons");
      for (const b of item.buttons) {
        const btn = el("button", "reply", b.title);
        btn.dataset.testid = "reply-button";
        btn.dataset.id = b.id;
        btn.addEventListener("click", () => tap("button", b));
        box.appendChild(btn);
      }
      row.appendChild(box);
    } else if (item.type === "list") {
      const btn = el("button", "reply list", "☰ " + item.button);
      btn.dataset.testid = "list-button";
      btn.addEventListener("click", () => openSheet(item));
      const box = el("div", "buttons");
      box.appendChild(btn);
      row.appendChild(box);
    }
    return row;
  }
  function openSheet(item) {
    $("sheet-label").textContent = item.button;
    const rows = $("sheet-rows");
    rows.textContent = "";
    for (const section of item.sections) {
      if (section.title) rows.appendChild(el("div", "section", section.title));
      for (const r of section.rows) {
        const btn = el("button", "list-row");
        btn.dataset.testid = "list-row";
        btn.dataset.id = r.id;
        btn.appendChild(el("div", "row-title", r.title));
        if (r.description) btn.appendChild(el("div", "row-desc", r.description));
        btn.addEventListener("click", () => { closeSheet(); tap("list", r); });
        rows.appendChild(btn);
      }
    }
    $("sheet").classList.remove("hidden");
  }
  function closeSheet() { $("sheet").classList.add("hidden"); }

  function draw() {
    const box = $("messages");
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.textContent = "";
    const seen = new Set(state.items.filter((i) => i.kind === "user").map((i) => i.wamid));
    state.pending = state.pending.filter((p) => !seen.has(p.wamid));
    let day = "";
    for (const item of state.items) {
      const d = new Date(item.at * 1000).toLocaleDateString();
      if (d !== day) { day = d; box.appendChild(el("div", "day", d)); }
      if (item.kind === "user") box.appendChild(userRow(item, false));
      else if (item.kind === "restart") box.appendChild(el("div", "restarted", "— নতুন করে শুরু · conversation restarted —"));
      else box.appendChild(botRow(item));
    }
    for (const p of state.pending) box.appendChild(userRow(p, true));
    if (nearBottom || state.pending.length) box.scrollTop = box.scrollHeight;
  }

  // --- talking to the server ---------------------------------------------------------------
  async function poll() {
    if (!state.phone) return;
    try {
      const data = await api("timeline?phone=" + encodeURIComponent(state.phone));
      if (data.phone !== state.phone) return;
      const json = JSON.stringify(data.items) + state.pending.length;
      if (json !== state.last) { state.items = data.items; state.last = json; draw(); }
      if (!$("status").classList.contains("bad") || state.pending.length === 0) status("");
    } catch (err) { status("স্ট্যাক চলছে না? · stack not reachable: " + err.message, true); }
  }
  async function send(message, shown) {
    if (!state.phone) { status("আগে একটা নম্বর বাছুন · choose a number first", true); return; }
    try {
      const data = await api("send", Object.assign({ phone: state.phone }, message));
      state.pending.push({ wamid: data.wamid, text: shown, at: Date.now() / 1000 });
      state.last = "";
      draw();
      poll();
    } catch (err) { status("পাঠানো যায়নি · not sent: " + err.message, true); }
  }
  function open(phone) {
    state.phone = phone;
    state.items = []; state.pending = []; state.last = "";
    $("who").textContent = "+" + phone;
    draw();
    poll();
  }

  async function loadIdentities() {
    const select = $("identity");
    select.appendChild(el("option", null, "— বাছুন · choose —"));
    try {
      const data = await api("identities");
      const groups = {};
      for (const who of data.identities) {
        if (!groups[who.group]) { groups[who.group] = el("optgroup"); groups[who.group].label = who.group; select.appendChild(groups[who.group]); }
        const opt = el("option", null, "+" + who.mobile + " · " + who.label);
        opt.value = who.mobile;
        groups[who.group].appendChild(opt);
      }
    } catch (err) { status("demo identities unavailable: " + err.message, true); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    loadIdentities();
    $("identity").addEventListener("change", (e) => { if (/^\d+$/.test(e.target.value)) open(e.target.value); });
    $("number-form").addEventListener("submit", (e) => {
      e.preventDefault();
      let digits = $("number").value.replace(/\D/g, "");
      if (digits.length === 10) digits = "91" + digits;
      if (digits.length < 11 || digits.length > 15) { status("১০ অঙ্কের নম্বর লিখুন · type a 10-digit number", true); return; }
      open(digits);
    });
    $("composer").addEventListener("submit", (e) => {
      e.preventDefault();
      const text = $("text").value;
      if (!text.trim()) return;
      $("text").value = "";
      send({ type: "text", text: text }, text);
    });
    $("restart").addEventListener("click", async () => {
      if (!state.phone) return;
      try { await api("restart", { phone: state.phone }); state.last = ""; poll(); }
      catch (err) { status("restart failed: " + err.message, true); }
    });
    $("sheet-close").addEventListener("click", closeSheet);
    $("sheet").addEventListener("click", (e) => { if (e.target === $("sheet")) closeSheet(); });
    state.timer = setInterval(poll, 800);
  });
})();
