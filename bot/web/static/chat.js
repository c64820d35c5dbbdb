/* 防骗小助手 — resident chat page. Talks to Rasa's socket.io channel; the server's
 * history endpoint is the source of truth for what the transcript shows.
 *
 * One file, in sections (search for "// ---------- <name>"):
 *   storage        storage that falls back to memory, uuids
 *   page mode      widget (embed=1), kiosk and event links, the session id pair
 *   state          what is pending and what is shown
 *   rendering      bubbles and quick replies; message text only ever goes through text nodes
 *   read aloud     the speak buttons (speechSynthesis)
 *   typing indicator
 *   history        the server's transcript, merged with what this tab has sent
 *   sending        queue while offline, flush on reconnect
 *   bot messages   what arrives on the socket
 *   connection     socket.io, forced to websocket
 *   event / kiosk join   joining an event, 下一位 on the kiosk
 *   controls       elderly mode, the composer, the widget frame's keys
 *   start
 * Served as is (no build step); the page loads it after vendor/socket.io.min.js. */
(function () {
  "use strict";

  var CONFIG = Object.assign({ rasaUrl: "", socketPath: "/socket.io", historyUrl: "/api/history/", sessionUrl: "/api/session" },
    window.FRAUDBOT_CONFIG || {});
  var HOTLINES = ["110", "96110", "12378", "12345", "12321"];
  var JOIN_LABEL = "参加活动";
  var KEYS = { session: "fraudbot.session", historyKey: "fraudbot.historyKey", elderly: "fraudbot.elderly",
    pending: "fraudbot.pending", joined: "fraudbot.joined:" };

  // ---------- storage ----------
  // Storage can throw (private mode, blocked third-party storage in the widget iframe): fall back to memory.
  function safeStorage(name) {
    try {
      var s = window[name];
      s.setItem("fraudbot.probe", "1");
      s.removeItem("fraudbot.probe");
      return s;
    } catch (e) {
      var mem = new Map();
      return { getItem: function (k) { return mem.has(k) ? mem.get(k) : null; },
        setItem: function (k, v) { mem.set(k, String(v)); }, removeItem: function (k) { mem.delete(k); } };
    }
  }
  var local = safeStorage("localStorage");
  var tabStore = safeStorage("sessionStorage");

  // crypto.randomUUID only exists in secure contexts; a LAN http:// address is not one.
  function newUuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---------- page mode ----------
  var params = new URLSearchParams(location.search);
  var CODE_RE = /^\d{6}$/;
  var kioskCode = CODE_RE.test(params.get("kiosk") || "") ? params.get("kiosk") : null;
  var eventCode = !kioskCode && CODE_RE.test(params.get("event") || "") ? params.get("event") : null;
  var joinCode = kioskCode || eventCode;
  var channel = kioskCode ? "kiosk" : (eventCode ? "event" : "web");

  var $ = function (id) { return document.getElementById(id); };
  var transcript = $("transcript"), typing = $("typing"), statusEl = $("status"), notice = $("notice");
  var input = $("message-input"), composer = $("composer"), elderlyToggle = $("elderly-toggle");
  var joinForm = $("join-form"), kioskNext = $("kiosk-next");

  // The session id and the key that alone reads its history come from the web app
  // (config.js, or /api/session for the kiosk's next participant): an id alone reads nothing.
  var SESSION_RE = /^[\w-]{8,64}$/;
  var issued = CONFIG.session && SESSION_RE.test(CONFIG.session.session_id || "") ? CONFIG.session : null;
  function takeIssued() { var pair = issued; issued = null; return pair; }
  var sessionId = local.getItem(KEYS.session), historyKey = local.getItem(KEYS.historyKey) || "";
  function adopt(pair) {
    sessionId = pair && SESSION_RE.test(pair.session_id || "") ? pair.session_id : newUuid();
    historyKey = (pair && pair.history_key) || ""; // without a key the history reads as empty
    local.setItem(KEYS.session, sessionId);
    local.setItem(KEYS.historyKey, historyKey);
  }
  if (!sessionId || !SESSION_RE.test(sessionId) || !historyKey) adopt(takeIssued());

  // ---------- state ----------
  var socket = null;
  var live = false;          // connected, session confirmed and transcript synced: safe to emit
  var everConfirmed = false;
  var initialHistory = null; // promise of the first history load
  var historySeq = 0;        // bumped to discard history responses that a newer request replaced
  var buffered = null;       // bot messages that arrive while a history request is in flight
  var pending = [];          // [{id, message, display}] typed while offline; kept per tab across reloads
  var unconfirmed = [];      // ids of messages sent that no history snapshot has shown yet
  var staleSnapshots = 0;    // snapshots in a row that were older than what this page sent
  var STALE_RETRY_MS = 1500, STALE_RETRIES = 8;
  var UNCONFIRMED_KEPT = 20; // well inside the 200 messages the history returns
  try {
    var saved = JSON.parse(tabStore.getItem(KEYS.pending) || "null");
    if (saved && saved.session === sessionId && Array.isArray(saved.items)) pending = saved.items;
  } catch (e) { /* corrupt entry: start empty */ }

  function savePending() { tabStore.setItem(KEYS.pending, JSON.stringify({ session: sessionId, items: pending })); }

  function setStatus(text, state) {
    statusEl.textContent = text;
    statusEl.setAttribute("data-state", state || "ok");
  }

  // ---------- rendering (message text only ever goes through text nodes) ----------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // Only whole digit runs that equal a hotline become links, so "1101234" stays plain text.
  function appendLinkified(parent, text) {
    var re = /\d+/g, last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (HOTLINES.indexOf(m[0]) === -1) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = el("a", "hotline", m[0]);
      a.href = "tel:" + m[0];
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Only the newest set of buttons is usable, and only while no resident message follows it.
  function refreshQuickReplies() {
    var boxes = transcript.querySelectorAll(".quick-replies"), current = null;
    for (var n = transcript.lastElementChild; n && n.classList.contains("bot"); n = n.previousElementSibling) {
      if ((current = n.querySelector(".quick-replies"))) break;
    }
    for (var i = 0; i < boxes.length; i++) {
      var buttons = boxes[i].querySelectorAll("button");
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = boxes[i] !== current;
    }
  }

  function quickReplies(buttons) {
    var box = el("div", "quick-replies");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "可选回复");
    buttons.forEach(function (b) {
      var title = String((b && (b.title || b.payload)) || "");
      if (!title) return;
      var payload = String(b.payload || title);
      var btn = el("button", null, title);
      btn.type = "button";
      btn.addEventListener("click", function (ev) {
        send(payload, title);
        // The clicked button is now disabled and loses focus; keyboard users continue in the input.
        if (ev.detail === 0) input.focus();
      });
      box.appendChild(btn);
    });
    return box;
  }

  // A message as [sender, text, {buttons, image, pendingId}]; its signature tells whether
  // a history re-render would change the node that shows it.
  function spec(sender, text, opts) {
    opts = opts || {};
    opts.buttons = Array.isArray(opts.buttons) ? opts.buttons : [];
    return [sender, text == null ? "" : String(text), opts];
  }
  function signature(s) {
    var o = s[2];
    return JSON.stringify([s[0], s[1], o.image || "", o.pendingId || "",
      o.buttons.map(function (b) { return b && [b.title, b.payload]; })]);
  }

  function addMessage(s) {
    var sender = s[0], text = s[1], opts = s[2];
    var msg = el("div", "msg " + sender);
    msg.fraudbotSig = signature(s);
    var bubble = el("div", "msg-bubble");
    bubble.appendChild(el("span", "visually-hidden", sender === "user" ? "我说：" : "助手说："));
    var body = el("div", "msg-text");
    appendLinkified(body, text);
    bubble.appendChild(body);
    if (opts.image) {
      var img = el("img", "msg-image");
      img.src = opts.image;
      img.alt = "助手发送的图片";
      bubble.appendChild(img);
    }
    msg.appendChild(bubble);
    if (sender === "bot" && canSpeak && text) msg.appendChild(el("div", "msg-tools")).appendChild(speakButton(text));
    if (opts.pendingId) {
      msg.classList.add("pending");
      msg.setAttribute("data-client-msg-id", opts.pendingId);
      msg.appendChild(el("p", "msg-note", "网络恢复后会自动发送"));
    }
    if (opts.buttons.length) msg.appendChild(quickReplies(opts.buttons));
    transcript.appendChild(msg);
    refreshQuickReplies();
    transcript.scrollTop = transcript.scrollHeight;
  }

  function markSent(item) {
    var node = transcript.querySelector('.msg.pending[data-client-msg-id="' + CSS.escape(item.id) + '"]');
    if (!node) return;
    node.classList.remove("pending");
    node.removeChild(node.querySelector(".msg-note"));
    node.fraudbotSig = signature(spec("user", item.display));
  }

  // ---------- read aloud ----------
  var synth = window.speechSynthesis;
  var canSpeak = !!(synth && window.SpeechSynthesisUtterance);
  var speakingButton = null;

  function markSpeaking(btn, on) {
    btn.textContent = on ? "停止朗读" : "朗读";
    btn.setAttribute("aria-label", on ? "停止朗读" : "朗读这条消息");
    btn.setAttribute("aria-pressed", on ? "true" : "false");
  }
  function stopSpeaking() {
    if (!canSpeak) return;
    if (speakingButton) markSpeaking(speakingButton, false);
    speakingButton = null;
    synth.cancel();
  }
  function speakButton(text) {
    var btn = el("button", "speak-button");
    btn.type = "button";
    markSpeaking(btn, false);
    btn.addEventListener("click", function () {
      var wasSpeaking = speakingButton === btn;
      stopSpeaking();
      if (wasSpeaking) return; // a second press stops
      var u = new window.SpeechSynthesisUtterance(text);
      u.lang = "zh-CN";
      var voices = synth.getVoices() || [];
      u.voice = voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); })[0] ||
        voices.filter(function (v) { return /^zh/i.test(v.lang); })[0] || null;
      u.onend = u.onerror = function () { if (speakingButton === btn) stopSpeaking(); };
      speakingButton = btn;
      markSpeaking(btn, true);
      synth.speak(u);
    });
    return btn;
  }

  // ---------- typing indicator ----------
  var typingQuiet = null, typingMax = null;
  function hideTyping() {
    clearTimeout(typingQuiet);
    clearTimeout(typingMax);
    typing.hidden = true;
  }
  function showTyping() {
    hideTyping();
    typing.hidden = false;
    typingMax = setTimeout(hideTyping, 20000); // never spin forever if the bot stays silent
  }
  function botSpoke() {
    if (typing.hidden) return;
    clearTimeout(typingQuiet);
    typingQuiet = setTimeout(hideTyping, 1500); // the bot often sends several messages in a row
  }

  // ---------- history (the server's truth) ----------
  function historyUserText(messages, i) {
    var text = String(messages[i].text || "");
    if (text.charAt(0) !== "/") return text;
    if (text.indexOf("/join_event") === 0) return JOIN_LABEL;
    // A button payload: show the title of the button that sent it, as we did live.
    for (var j = i - 1; j >= 0 && messages[j].sender !== "user"; j--) {
      var found = (messages[j].buttons || messages[j].quick_replies || []).filter(function (b) { return b && b.payload === text; })[0];
      if (found && found.title) return found.title;
    }
    return text;
  }

  function botSpec(data) {
    var image = safeImageUrl(data.attachment);
    var buttons = data.quick_replies || data.buttons;
    if (!data.text && !image && !(Array.isArray(buttons) && buttons.length)) return null; // e.g. custom JSON
    return spec("bot", data.text, { buttons: buttons, image: image });
  }
  function safeImageUrl(att) {
    var src = att && att.payload && att.payload.src;
    return typeof src === "string" && /^https?:\/\//i.test(src) ? src : null;
  }

  // Same result as replacing the whole transcript, but nodes up to the first difference are kept,
  // so a reconnect does not make screen readers re-read the log or drop the focused button.
  function renderHistory(messages, lateBotMessages) {
    var wanted = [], seen = {};
    messages.forEach(function (m) {
      var cid = m && (m.client_msg_id || (m.metadata && m.metadata.client_msg_id));
      if (cid) seen[cid] = true;
    });
    // Rasa stores a turn only after its answer has gone out, so a snapshot read in between lacks
    // a question (and answer) already on screen. Keep the screen and read again a little later;
    // after STALE_RETRIES the snapshot wins (the question never reached the server).
    unconfirmed = unconfirmed.filter(function (id) { return !seen[id]; });
    if (unconfirmed.length && staleSnapshots < STALE_RETRIES) {
      staleSnapshots++;
      lateBotMessages.forEach(renderBot);
      setTimeout(function () { if (!buffered) syncHistory(); }, STALE_RETRY_MS);
      return;
    }
    staleSnapshots = 0;
    unconfirmed = [];
    messages.forEach(function (m, i) {
      if (!m) return;
      if (m.sender === "user") wanted.push(spec("user", historyUserText(messages, i)));
      else if (m.sender === "bot") wanted.push(spec("bot", m.text, { buttons: m.buttons || m.quick_replies }));
    });
    // Bot messages that raced the request: add those the snapshot does not already end with.
    var tail = wanted.filter(function (w) { return w[0] === "bot"; }).map(function (w) { return w[1]; });
    tail = tail.slice(Math.max(0, tail.length - lateBotMessages.length));
    lateBotMessages.forEach(function (data) {
      var s = botSpec(data), at = s ? tail.indexOf(s[1]) : -1;
      if (at !== -1) tail.splice(at, 1);
      else if (s) wanted.push(s);
    });
    pending = pending.filter(function (p) { return !seen[p.id]; });
    savePending();
    pending.forEach(function (p) { wanted.push(spec("user", p.display, { pendingId: p.id })); });

    var nodes = transcript.children, keep = 0;
    while (keep < nodes.length && keep < wanted.length && nodes[keep].fraudbotSig === signature(wanted[keep])) keep++;
    if (nodes.length > keep) {
      var hadFocus = transcript.contains(document.activeElement);
      stopSpeaking();
      while (nodes.length > keep) transcript.removeChild(transcript.lastChild);
      if (hadFocus) transcript.focus();
    }
    wanted.slice(keep).forEach(addMessage);
    refreshQuickReplies();
  }

  function takeBuffered() {
    var late = buffered || [];
    buffered = null;
    return late;
  }

  function syncHistory() {
    var seq = ++historySeq;
    buffered = buffered || [];
    return fetch(CONFIG.historyUrl + encodeURIComponent(sessionId),
      { headers: { Accept: "application/json", "X-History-Key": historyKey }, cache: "no-store",
        credentials: "same-origin" })
      .then(function (res) {
        if (res.status === 404) return { messages: [] }; // a brand-new session has no tracker yet
        if (res.status === 403) return { messages: [] }; // a session from before history keys
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      })
      .then(function (data) {
        if (seq === historySeq) renderHistory(Array.isArray(data && data.messages) ? data.messages : [], takeBuffered());
      })
      .catch(function () {
        if (seq !== historySeq) return;
        takeBuffered().forEach(renderBot); // keep what is shown rather than blank it
        setStatus("聊天记录暂时无法加载，可以继续提问。", "warn");
      });
  }

  // ---------- sending ----------
  function emitMessage(item) {
    socket.emit("user_uttered", { message: item.message, session_id: sessionId,
      metadata: { channel: channel, client_msg_id: item.id } });
    unconfirmed.push(item.id);
    if (unconfirmed.length > UNCONFIRMED_KEPT) unconfirmed.shift(); // the race is about the last turns
    showTyping();
  }

  function send(message, display) {
    var item = { id: newUuid(), message: message, display: display || message };
    if (live && socket && socket.connected) {
      addMessage(spec("user", item.display));
      emitMessage(item);
      return;
    }
    // Offline: socket.io's own send buffer would be lost on reload and can't be shown, so queue here.
    pending.push(item);
    savePending();
    addMessage(spec("user", item.display, { pendingId: item.id }));
  }

  function flushPending() {
    while (pending.length && live && socket.connected) {
      var item = pending.shift();
      emitMessage(item);
      markSent(item);
      savePending();
    }
  }

  // ---------- bot messages ----------
  function renderBot(data) {
    var s = botSpec(data);
    if (s) addMessage(s);
  }

  function onBotUttered(data) {
    if (!data || typeof data !== "object") return;
    botSpoke();
    if (buffered) buffered.push(data); // replayed once the history request settles
    else renderBot(data);
  }

  // ---------- connection ----------
  function connect() {
    if (typeof window.io !== "function") return setStatus("聊天服务加载失败，请刷新页面重试。", "error");
    socket = window.io(CONFIG.rasaUrl || undefined, { path: CONFIG.socketPath, transports: ["websocket"] });
    socket.on("connect", function () {
      live = false;
      setStatus("连接中…", "ok");
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", onConfirm);
    socket.on("bot_uttered", onBotUttered);
    socket.on("disconnect", function (reason) {
      live = false;
      hideTyping();
      setStatus("已断开，正在重连…", "warn");
      if (reason === "io server disconnect") socket.connect(); // a server-side kick is not retried by itself
    });
    socket.on("connect_error", function () {
      live = false;
      setStatus(everConfirmed ? "已断开，正在重连…" : "连接失败，正在重试…", "warn");
      if (!socket.active) setTimeout(function () { socket.connect(); }, 3000);
    });
  }

  function onConfirm(confirmed) {
    var id = typeof confirmed === "string" ? confirmed : (confirmed && confirmed.session_id);
    if (id && id !== sessionId) return; // an answer for a session the kiosk has already left
    var sync = everConfirmed ? syncHistory() : initialHistory; // every reconnect re-reads the truth
    everConfirmed = true;
    var forSession = sessionId;
    sync.then(function () {
      if (!socket.connected || forSession !== sessionId) return;
      live = true;
      setStatus("已连接", "ok");
      flushPending();
    });
  }

  // ---------- event / kiosk join ----------
  function hasJoined() { return tabStore.getItem(KEYS.joined + sessionId) === joinCode; }

  function join(nickname) {
    var entities = { join_code: joinCode };
    if (nickname) entities.nickname = nickname;
    tabStore.setItem(KEYS.joined + sessionId, joinCode); // a reload must not join twice
    send("/join_event" + JSON.stringify(entities), JOIN_LABEL);
  }

  // The previous participant's id, key, queue and join mark leave this browser's storage.
  function startFreshSession(pair) {
    stopSpeaking();
    hideTyping();
    tabStore.removeItem(KEYS.joined + sessionId);
    adopt(pair);
    historySeq++; // drop any history answer for the previous person
    buffered = null;
    pending = [];
    unconfirmed = [];
    staleSnapshots = 0;
    savePending();
    live = false;
    transcript.textContent = "";
    input.value = "";
  }

  // Kiosk: every participant is a new Rasa session. A fresh socket leaves the old session's
  // room, so replies meant for the previous person cannot show up.
  // The screen is cleared and the old session dropped at once; the new session's key follows.
  function nextParticipant() {
    startFreshSession(null);
    kioskNext.disabled = true;
    var forSession = sessionId;
    fetch(CONFIG.sessionUrl, { method: "POST", headers: { Accept: "application/json" }, cache: "no-store",
      credentials: "same-origin" })
      .then(function (res) { if (!res.ok) throw new Error("HTTP " + res.status); return res.json(); })
      .catch(function () { return null; }) // go on without a key: only the reload history is lost
      .then(function (pair) {
        kioskNext.disabled = false;
        if (forSession !== sessionId) return; // tapped again meanwhile
        if (pair) startFreshSession(pair);
        join();
        if (socket) { socket.disconnect(); socket.connect(); }
      });
  }

  function setupJoin() {
    if ((params.has("event") || params.has("kiosk")) && !joinCode) {
      notice.textContent = "活动码无效，请核对二维码或链接。您仍然可以直接提问。";
      notice.hidden = false;
    }
    if (kioskCode) {
      document.body.classList.add("kiosk");
      // A freshly opened kiosk tab must not show the last participant's chat from localStorage.
      // The first participant takes the id config.js issued (or the one just adopted from it).
      if (!hasJoined()) { startFreshSession(takeIssued() || { session_id: sessionId, history_key: historyKey }); join(); }
      kioskNext.hidden = false;
      kioskNext.setAttribute("aria-label", "下一位：清空对话，为下一位参与者重新开始");
      kioskNext.addEventListener("click", nextParticipant);
    } else if (eventCode && !hasJoined()) {
      $("join-title").textContent = "欢迎参加防骗活动（活动码 " + eventCode + "）";
      joinForm.hidden = false;
      composer.hidden = true;
      joinForm.addEventListener("submit", function (ev) {
        ev.preventDefault();
        // Count characters, not UTF-16 units, so an emoji is never cut in half.
        var nickname = Array.from($("nickname-input").value.trim()).slice(0, 12).join("");
        joinForm.hidden = true;
        composer.hidden = false;
        join(nickname);
        input.focus();
      });
    }
  }

  // ---------- controls ----------
  function setElderly(on) {
    document.body.classList.toggle("elderly", on);
    elderlyToggle.setAttribute("aria-pressed", on ? "true" : "false");
    local.setItem(KEYS.elderly, on ? "1" : "0");
  }
  elderlyToggle.addEventListener("click", function () { setElderly(!document.body.classList.contains("elderly")); });

  var composing = false; // Chinese IME: the Enter that picks a candidate must not also send
  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { setTimeout(function () { composing = false; }, 0); });

  composer.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (composing || !text) return;
    input.value = "";
    send(text, text);
  });

  if (params.get("embed") === "1") {
    document.body.classList.add("embed");
    // Escape inside the iframe never reaches the host page, so ask widget.js to close.
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && window.parent !== window) window.parent.postMessage({ type: "fraudbot:close" }, "*");
    });
    window.addEventListener("message", function (ev) {
      if (ev.source === window.parent && ev.data && ev.data.type === "fraudbot:focus") input.focus();
    });
  }

  // The socket notices a dead network only after its ping timeout; queue messages meanwhile.
  window.addEventListener("offline", function () {
    live = false;
    setStatus("网络已断开，正在重连…", "warn");
  });
  window.addEventListener("online", function () {
    if (socket && socket.connected) { socket.disconnect(); socket.connect(); } // resync, then flush
  });

  // ---------- start ----------
  setElderly(local.getItem(KEYS.elderly) === "1");
  setupJoin();
  initialHistory = syncHistory();
  connect();
})();
