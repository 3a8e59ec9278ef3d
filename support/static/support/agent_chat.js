// The agent's side of a live chat: WebSocket with catch-up, polling when it fails.
(function () {
  "use strict";
  var root = document.querySelector("[data-agent-chat]");
  if (!root) { return; }
  var log = root.querySelector("[data-chat-log]"), form = root.querySelector("[data-agent-chat-form]");
  var key = root.getAttribute("data-key"), pollUrl = root.getAttribute("data-poll-url");
  var lastId = 0, socket = null, pollTimer = null, failures = 0, pending = {};
  log.querySelectorAll("[data-message-id]").forEach(function (line) {
    lastId = Math.max(lastId, parseInt(line.getAttribute("data-message-id"), 10));
  });
  function csrf() { var field = root.querySelector("input[name=csrfmiddlewaretoken]"); return field ? field.value : ""; }
  function add(message) {
    if (log.querySelector("[data-message-id='" + message.id + "']")) { return; }
    delete pending[message.client_id];
    var local = log.querySelector("[data-client-id='" + message.client_id + "']"); if (local) { local.remove(); }
    lastId = Math.max(lastId, message.id);
    var line = document.createElement("div");
    line.className = "msg " + message.sender; line.setAttribute("data-message-id", message.id); line.textContent = message.body;
    log.appendChild(line); log.scrollTop = log.scrollHeight;
  }
  function poll() {
    fetch(pollUrl + "?since=" + lastId, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (data) { (data.messages || []).forEach(add); }).catch(function () {});
  }
  function send(id, body) {
    if (socket && socket.readyState === 1) { socket.send(JSON.stringify({type: "message", client_id: id, body: body})); return; }
    fetch(pollUrl, {method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify({client_id: id, body: body})}).then(poll).catch(function () {});
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/support/chat/" + encodeURIComponent(key) + "/?as=agent&since=" + lastId);
    var opened = false;
    socket.onopen = function () { opened = true; failures = 0; root.setAttribute("data-transport", "websocket"); };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "catch_up") { data.messages.forEach(add); Object.keys(pending).forEach(function (id) { send(id, pending[id]); }); }
      else if (data.message) { add(data.message); }
    };
    socket.onclose = function () {
      socket = null; failures += opened ? 0 : 1;
      if (failures >= 2) { if (!pollTimer) { root.setAttribute("data-transport", "polling"); pollTimer = setInterval(poll, 2500); } }
      else { setTimeout(connect, 1500); }
    };
  }
  if (window.WebSocket) { connect(); } else { pollTimer = setInterval(poll, 2500); }
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("[data-chat-input]"), body = input.value.trim();
      if (!body) { return; }
      var id = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
      pending[id] = body;
      var line = document.createElement("div"); line.className = "msg agent text-muted"; line.setAttribute("data-client-id", id); line.textContent = body;
      log.appendChild(line); input.value = ""; send(id, body);
    });
  }
})();
