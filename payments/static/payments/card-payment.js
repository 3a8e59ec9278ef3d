/* Card payment with Stripe's card Element, confirmed by stripe.confirmCardPayment.
   The amount lives in the PaymentIntent the server created; this page never sends one. */
(function () {
  "use strict";
  var form = document.getElementById("card-payment-form");
  if (!form || typeof window.Stripe !== "function") { return; }
  var stripe = window.Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
  var card = stripe.elements({ locale: form.dataset.locale }).create("card", { hidePostalCode: true });
  var button = document.getElementById("card-pay-button");
  var errors = document.getElementById("card-errors");
  var idleText = button.textContent;
  card.mount("#card-element");
  button.disabled = false;
  card.on("change", function (event) {
    errors.textContent = event && event.error ? event.error.message : "";
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    button.textContent = button.dataset.busyText;
    errors.textContent = "";
    stripe.confirmCardPayment(form.dataset.clientSecret, {
      payment_method: { card: card, billing_details: { name: form.dataset.name } },
      return_url: form.dataset.returnUrl
    }).then(function (result) {
      if (result.error) {
        // Stripe's own reason (declined, expired, …); the form stays ready for another try.
        errors.textContent = result.error.message || "";
        button.disabled = false;
        button.textContent = idleText;
        return;
      }
      window.location.assign(form.dataset.returnUrl + "?payment_intent=" + encodeURIComponent(result.paymentIntent.id));
    });
  });
})();
