// T1: the storefront's live chat. The WebSocket is the fast path; the server stores every
// message first, so the page can always catch up (since the last id it holds). When the
// WebSocket cannot connect, the page polls the same messages over HTTP instead.
(function () {
  "use strict";
  var root = document.querySelector("[data-support-chat]");
  if (!root) { return; }
  var $ = function (name) { return root.querySelector("[data-" + name + "]"); };
  var panel = $("chat-panel"), log = $("chat-log"), form = $("chat-form"), input = $("chat-input");
  var startUrl = root.getAttribute("data-start-url");
  var key = null, lastId = 0, socket = null, failures = 0, pollTimer = null, closed = false;
  var pending = {};  // client_id -> body, until the server acknowledges it
  var seen = {};

  function csrf() {
    var field = root.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function post(url, data) {
    return fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()}, body: JSON.stringify(data)})
      .then(function (response) { return response.json().then(function (body) { return {ok: response.ok, body: body}; }); });
  }
  function showError(text) { var box = $("chat-error"); if (box) { box.textContent = text; box.hidden = !text; } }
  function add(message) {
    if (seen[message.id]) { return; }
    seen[message.id] = true;
    lastId = Math.max(lastId, message.id);
    delete pending[message.client_id];
    var local = log.querySelector("[data-client-id='" + message.client_id + "']");
    if (local) { local.remove(); }
    var line = document.createElement("div");
    line.className = "msg " + message.sender;
    line.setAttribute("data-message-id", message.id);
    line.textContent = message.body;
    log.appendChild(line);
    log.scrollTop = log.scrollHeight;
  }
  function handle(data) {
    if (data.type === "catch_up") {
      data.messages.forEach(add);
      if (data.status === "active") { $("chat-waiting").hidden = true; }
      if (data.status === "closed") { finish(); return; }
      resend();
    }
    else if (data.type === "message" || data.type === "ack") { add(data.message); }
    else if (data.type === "picked_up") { $("chat-waiting").hidden = true; }
    else if (data.type === "closed") { finish(); }
    else if (data.type === "error") { showError(data.detail); }
  }
  function finish() {
    closed = true; form.hidden = true; $("chat-closed").hidden = false;
    if (socket) { socket.close(); }
    if (pollTimer) { clearInterval(pollTimer); }
    sessionStorage.removeItem("supportChatKey");
  }
  function pollUrl() { return startUrl + encodeURIComponent(key) + "/messages/"; }
  function poll() {
    fetch(pollUrl() + "?since=" + lastId, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        (data.messages || []).forEach(add);
        if (data.status === "active") { $("chat-waiting").hidden = true; }
        if (data.status === "closed") { finish(); }
      }).catch(function () {});
  }
  function startPolling() {
    if (pollTimer || closed) { return; }
    root.setAttribute("data-transport", "polling");
    pollTimer = setInterval(poll, 2500);
    poll(); resend();
  }
  function connect() {
    if (closed || !window.WebSocket) { startPolling(); return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/support/chat/" + encodeURIComponent(key) + "/?since=" + lastId);
    var opened = false;
    socket.onopen = function () { opened = true; failures = 0; root.setAttribute("data-transport", "websocket"); };
    socket.onmessage = function (event) { handle(JSON.parse(event.data)); };
    socket.onclose = function () {
      socket = null;
      if (closed) { return; }
      failures += opened ? 0 : 1;
      if (failures >= 2) { startPolling(); } else { setTimeout(connect, 1500); }
    };
  }
  function send(clientId, body) {
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({type: "message", client_id: clientId, body: body}));
    } else if (pollTimer) {
      post(pollUrl(), {client_id: clientId, body: body}).then(function (result) {
        if (!result.ok) { showError(result.body.detail || ""); } else { poll(); }
      }).catch(function () {});
    }
  }
  function resend() { Object.keys(pending).forEach(function (id) { send(id, pending[id]); }); }
  function begin(data) {
    post(startUrl, data).then(function (result) {
      if (!result.ok) { showError(result.body.detail || ""); return; }
      showError("");
      key = result.body.key;
      sessionStorage.setItem("supportChatKey", key);
      var intro = $("chat-intro"); if (intro) { intro.classList.add("d-none"); }
      form.hidden = false;
      $("chat-waiting").hidden = result.body.status !== "waiting";
      result.body.messages.forEach(add);
      connect();
    });
  }
  $("chat-toggle").addEventListener("click", function () {
    var hidden = panel.classList.toggle("d-none");
    this.setAttribute("aria-expanded", hidden ? "false" : "true");
    if (hidden || key || root.getAttribute("data-open") !== "1") { return; }
    var saved = sessionStorage.getItem("supportChatKey");
    if (saved && root.getAttribute("data-signed-in") !== "1") {
      // A visitor moving to another page: back into the same chat, catching up from the start.
      key = saved;
      var intro = $("chat-intro"); if (intro) { intro.classList.add("d-none"); }
      form.hidden = false;
      connect();
    } else if (root.getAttribute("data-signed-in") === "1") {
      begin({});
    }
  });
  var beginButton = $("chat-begin");
  if (beginButton) {
    beginButton.addEventListener("click", function () {
      begin({name: $("chat-name").value, contact: $("chat-contact").value});
    });
  }
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = input.value.trim();
      if (!body || !key) { return; }
      var clientId = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
      pending[clientId] = body;
      var line = document.createElement("div");
      line.className = "msg customer text-muted"; line.setAttribute("data-client-id", clientId); line.textContent = body;
      log.appendChild(line);
      input.value = "";
      send(clientId, body);
    });
  }
  window.supportChatDebug = {dropSocket: function () { if (socket) { socket.close(); } }};
})();
