/* 防骗小助手 embed widget.
 * Usage: <script src="http://HOST:8000/widget.js"></script> on any page.
 * Adds a round launcher button (bottom right) that opens the chat page in an iframe.
 * Styles are set through element.style (CSSOM), which host pages' CSPs allow, unlike
 * injected <style> tags. The only global is window.FraudbotWidget. */
(function () {
  "use strict";
  if (window.FraudbotWidget) return; // the tag was included twice

  // currentScript is null inside callbacks, so read it now; fall back for odd loaders.
  var script = document.currentScript;
  if (!script) {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(all[i].src)) { script = all[i]; break; }
    }
  }
  if (!script || !script.src) return;
  var ORIGIN = new URL(script.src, location.href).origin;

  var Z = 2147483000; // above almost anything a host page uses
  var BLUE = "#0b4ea2";
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 480px)") : { matches: false };
  var launcher, panel, frame, closeButton;
  var isOpen = false, frameLoaded = false;

  function css(node, styles) {
    for (var k in styles) if (Object.prototype.hasOwnProperty.call(styles, k)) node.style[k] = styles[k];
  }

  // Host pages often strip outlines; draw our own so keyboard users see focus.
  function focusRing(node, color) {
    node.addEventListener("focus", function () { css(node, { outline: "3px solid " + color, outlineOffset: "3px" }); });
    node.addEventListener("blur", function () { css(node, { outline: "none" }); });
  }

  function resetButton(node) {
    css(node, {
      margin: "0", border: "0", padding: "0", font: "inherit", cursor: "pointer",
      boxSizing: "border-box", lineHeight: "1", textTransform: "none", letterSpacing: "normal"
    });
  }

  function buildLauncher() {
    launcher = document.createElement("button");
    launcher.type = "button";
    launcher.id = "fraudbot-launcher";
    launcher.textContent = "防骗";
    launcher.setAttribute("aria-label", "打开防骗小助手");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "fraudbot-panel");
    launcher.title = "防骗小助手";
    resetButton(launcher);
    css(launcher, {
      position: "fixed", right: "20px", bottom: "20px", zIndex: String(Z),
      width: "64px", height: "64px", borderRadius: "50%",
      background: BLUE, color: "#fff", border: "3px solid #fff",
      boxShadow: "0 4px 14px rgba(0,0,0,0.35)",
      fontFamily: "'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif",
      fontSize: "18px", fontWeight: "bold"
    });
    focusRing(launcher, "#b34700");
    launcher.addEventListener("click", toggle);
    document.body.appendChild(launcher);
  }

  function buildPanel() {
    panel = document.createElement("div");
    panel.id = "fraudbot-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "防骗小助手");
    css(panel, {
      position: "fixed", zIndex: String(Z + 1), display: "none", flexDirection: "column",
      background: "#fff", overflow: "hidden", boxShadow: "0 8px 30px rgba(0,0,0,0.35)",
      fontFamily: "'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif"
    });

    var bar = document.createElement("div");
    css(bar, {
      display: "flex", alignItems: "center", justifyContent: "space-between",
      padding: "4px 6px 4px 14px", background: BLUE, color: "#fff", flex: "0 0 auto"
    });
    var title = document.createElement("span");
    title.textContent = "防骗小助手";
    css(title, { fontSize: "17px", fontWeight: "bold" });

    closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.textContent = "关闭 ✕";
    closeButton.setAttribute("aria-label", "关闭防骗小助手");
    resetButton(closeButton);
    css(closeButton, {
      minHeight: "44px", minWidth: "44px", padding: "0 12px", borderRadius: "8px",
      background: "transparent", color: "#fff", fontSize: "16px", border: "2px solid transparent"
    });
    focusRing(closeButton, "#ffd54a");
    closeButton.addEventListener("click", close);

    bar.appendChild(title);
    bar.appendChild(closeButton);
    panel.appendChild(bar);
    document.body.appendChild(panel);
  }

  // The iframe is created on first open so pages that never use the chat stay light.
  function ensureFrame() {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.id = "fraudbot-frame";
    frame.title = "防骗小助手";
    frame.src = ORIGIN + "/?embed=1";
    css(frame, { border: "0", width: "100%", flex: "1 1 auto", display: "block", background: "#fff" });
    frame.addEventListener("load", function () {
      frameLoaded = true;
      if (isOpen) focusChat();
    });
    panel.appendChild(frame);
  }

  // Desktop: a card above the launcher. Narrow screens: the whole viewport.
  function layout() {
    if (!panel) return;
    if (narrow.matches) {
      css(panel, {
        top: "0", left: "0", right: "0", bottom: "0", width: "100%", height: "100%",
        maxWidth: "none", maxHeight: "none", borderRadius: "0"
      });
    } else {
      css(panel, {
        top: "auto", left: "auto", right: "20px", bottom: "96px", width: "380px", height: "600px",
        maxWidth: "calc(100vw - 40px)", maxHeight: "calc(100vh - 116px)", borderRadius: "12px"
      });
    }
  }

  function focusChat() {
    frame.focus();
    // On phones, focusing the input would pop the keyboard over the first answer.
    if (!narrow.matches && frameLoaded) frame.contentWindow.postMessage({ type: "fraudbot:focus" }, ORIGIN);
  }

  function open() {
    if (isOpen) return;
    isOpen = true;
    ensureFrame();
    layout();
    panel.style.display = "flex";
    launcher.setAttribute("aria-expanded", "true");
    focusChat();
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    var focusWasInside = panel.contains(document.activeElement); // activeElement is the iframe while typing in it
    panel.style.display = "none";
    launcher.setAttribute("aria-expanded", "false");
    if (focusWasInside) launcher.focus(); // hand focus back to where the user opened the chat
  }

  function toggle() { if (isOpen) close(); else open(); }

  function start() {
    buildLauncher();
    buildPanel();
    layout();

    document.addEventListener("keydown", function (ev) {
      if (isOpen && (ev.key === "Escape" || ev.key === "Esc")) close();
    });
    // Escape pressed inside the iframe arrives as a message from the chat page.
    window.addEventListener("message", function (ev) {
      if (ev.origin !== ORIGIN || !frame || ev.source !== frame.contentWindow) return;
      if (ev.data && ev.data.type === "fraudbot:close") close();
    });
    if (narrow.addEventListener) narrow.addEventListener("change", layout);
    else if (narrow.addListener) narrow.addListener(layout);
  }

  window.FraudbotWidget = { open: open, close: close, toggle: toggle };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
