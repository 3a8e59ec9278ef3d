/* What Oscar's templates did with inline handlers (onclick="window.print()",
   onclick="history.go(-1)", onload/onerror on the image inputs), bound here instead:
   the Content Security Policy allows no inline code without the response's nonce.
   Our overrides of those templates mark the elements with data attributes. */
(function () {
    'use strict';

    var actions = {
        print: function () { window.print(); },
        'history-back': function () { window.history.go(-1); },
        'close-window': function () { window.close(); }
    };

    document.addEventListener('click', function (event) {
        var target = event.target.closest ? event.target.closest('[data-action]') : null;
        if (!target || !actions[target.getAttribute('data-action')]) {
            return;
        }
        event.preventDefault();
        actions[target.getAttribute('data-action')]();
    });

    /* The dashboard's image inputs: the preview <img> loads (a picture was chosen: hide
       the upload button) or fails (show it again and say why). load and error do not
       bubble, so they are caught on the way down. */
    function imageInput(event) {
        var image = event.target;
        if (!image || image.tagName !== 'IMG' || !image.hasAttribute('data-upload-button')) {
            return;
        }
        var button = document.getElementById(image.getAttribute('data-upload-button'));
        if (event.type === 'load') {
            if (button) { button.style.display = 'none'; }
            return;
        }
        if (button) { button.style.display = ''; }
        window.alert(image.getAttribute('data-error-message'));
    }
    document.addEventListener('load', imageInput, true);
    document.addEventListener('error', imageInput, true);
}());
