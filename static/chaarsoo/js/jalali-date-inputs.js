/* Jalali date picker on Persian pages (issue 15 point 6).

   Every <input type="date"> stays the field the form submits (ISO, Gregorian: the server
   validates it as before). Beside it a text box shows the date in the Jalali calendar and
   opens the vendored JalaliDatePicker (static/chaarsoo/vendor/jalalidatepicker, MIT); the
   chosen day is converted back to the Gregorian ISO value. Conversion: the jalaali
   algorithm (Borkowski), as in the jalaali-js package. */
(function () {
    'use strict';
    var BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
        2394, 2456, 3178];

    function div(a, b) { return ~~(a / b); }
    function mod(a, b) { return a - ~~(a / b) * b; }

    function jalCal(jy) {
        var gy = jy + 621, leapJ = -14, jp = BREAKS[0], jm, jump = 0, leap, leapG, march, n, i;
        for (i = 1; i < BREAKS.length; i += 1) {
            jm = BREAKS[i];
            jump = jm - jp;
            if (jy < jm) { break; }
            leapJ = leapJ + div(jump, 33) * 8 + div(mod(jump, 33), 4);
            jp = jm;
        }
        n = jy - jp;
        leapJ = leapJ + div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
        if (mod(jump, 33) === 4 && jump - n === 4) { leapJ += 1; }
        leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
        march = 20 + leapJ - leapG;
        if (jump - n < 6) { n = n - jump + div(jump + 4, 33) * 33; }
        leap = mod(mod(n + 1, 33) - 1, 4);
        if (leap === -1) { leap = 4; }
        return {leap: leap, gy: gy, march: march};
    }

    function g2d(gy, gm, gd) {
        var d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) + gd - 34840408;
        return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
    }

    function d2g(jdn) {
        var j = 4 * jdn + 139361631, i, gd, gm, gy;
        j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
        i = div(mod(j, 1461), 4) * 5 + 308;
        gd = div(mod(i, 153), 5) + 1;
        gm = mod(div(i, 153), 12) + 1;
        gy = div(j, 1461) - 100100 + div(8 - gm, 6);
        return {gy: gy, gm: gm, gd: gd};
    }

    function j2d(jy, jm, jd) {
        var r = jalCal(jy);
        return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
    }

    function d2j(jdn) {
        var gy = d2g(jdn).gy, jy = gy - 621, r = jalCal(jy), k = jdn - g2d(gy, 3, r.march);
        if (k >= 0) {
            if (k <= 185) { return {jy: jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1}; }
            k -= 186;
        } else {
            jy -= 1;
            k += 179;
            if (r.leap === 1) { k += 1; }
        }
        return {jy: jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1};
    }

    function pad(n) { return (n < 10 ? '0' : '') + n; }
    function persianDigits(text) {
        return String(text || '').replace(/[0-9]/g, function (c) { return String.fromCharCode(0x06F0 + (+c)); });
    }
    function asciiDigits(text) {
        return String(text || '').replace(/[۰-۹]/g, function (c) { return String(c.charCodeAt(0) - 0x06F0); })
            .replace(/[٠-٩]/g, function (c) { return String(c.charCodeAt(0) - 0x0660); });
    }

    /* "2026-12-11" -> "1405/09/20" (ASCII digits; the page shows them in Persian). */
    function isoToJalali(iso) {
        var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
        if (!m) { return ''; }
        var j = d2j(g2d(+m[1], +m[2], +m[3]));
        return j.jy + '/' + pad(j.jm) + '/' + pad(j.jd);
    }

    /* "۱۴۰۵/۰۹/۲۰" or "1405/9/20" -> "2026-12-11" ('' when it is not a date). */
    function jalaliToIso(text) {
        var m = /^(\d{4})[\/\-.](\d{1,2})[\/\-.](\d{1,2})$/.exec(asciiDigits(text).trim());
        if (!m || +m[2] < 1 || +m[2] > 12 || +m[3] < 1 || +m[3] > 31) { return ''; }
        var g = d2g(j2d(+m[1], +m[2], +m[3]));
        return g.gy + '-' + pad(g.gm) + '-' + pad(g.gd);
    }

    function enhance(input) {
        if (input.dataset.jalali) { return; }
        input.dataset.jalali = 'on';
        var shown = document.createElement('input');
        shown.type = 'text';
        shown.className = input.className;
        shown.setAttribute('data-jdp', '');
        shown.setAttribute('data-jalali-for', input.id || input.name);
        shown.setAttribute('inputmode', 'numeric');
        shown.setAttribute('autocomplete', 'off');
        shown.setAttribute('placeholder', '۱۴۰۵/۰۱/۰۱');
        if (input.id) {
            shown.id = input.id + '_jalali';
            var label = document.querySelector('label[for="' + input.id + '"]');
            if (label) { label.setAttribute('for', shown.id); }
        }
        if (input.required) { shown.required = true; }
        if (input.min) { shown.setAttribute('data-jdp-min-date', isoToJalali(input.min)); }
        if (input.max) { shown.setAttribute('data-jdp-max-date', isoToJalali(input.max)); }
        shown.value = isoToJalali(input.value);
        var sync = function () { input.value = jalaliToIso(shown.value); };
        shown.addEventListener('change', sync);
        shown.addEventListener('input', sync);
        input.type = 'hidden';
        input.parentNode.insertBefore(shown, input.nextSibling);
    }

    window.chaarsooJalali = {isoToJalali: isoToJalali, jalaliToIso: jalaliToIso};

    document.addEventListener('DOMContentLoaded', function () {
        if ((document.documentElement.lang || '').indexOf('fa') !== 0) { return; }
        var inputs = document.querySelectorAll('input[type="date"]');
        Array.prototype.forEach.call(inputs, enhance);
        if (window.jalaliDatepicker && inputs.length) {
            window.jalaliDatepicker.startWatch({minDate: 'attr', maxDate: 'attr', persianDigits: true,
                autoHide: true, hideAfterChange: true, showTodayBtn: true, showEmptyBtn: false});
        }
    });
}());
