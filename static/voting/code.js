// A slip's QR code opens /voting/code/#CODE: the code travels in the fragment, which the
// browser never sends to the server (so no access log holds it); fill it in here.
(function () {
  "use strict";
  var field = document.getElementById("id_code");
  var code = decodeURIComponent((window.location.hash || "").slice(1));
  if (field && !field.value && /^[A-Za-z0-9-]{12,16}$/.test(code)) {
    field.value = code;
    history.replaceState(null, "", window.location.pathname);
  }
})();
