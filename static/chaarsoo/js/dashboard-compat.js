/* Oscar's order page calls oscar.dashboard.orders.initTable(), which Oscar's dashboard.js
   no longer defines (a JS error that stopped the page's later scripts). Restored: a
   "select all" box in the lines table's first header cell. */
(function (oscar, $) {
    if (!oscar || !oscar.dashboard || !oscar.dashboard.orders || oscar.dashboard.orders.initTable) {
        return;
    }
    oscar.dashboard.orders.initTable = function () {
        var $table = $('#order_lines_form table, form table').first();
        if (!$table.length || !$table.find('td:first-child input[type=checkbox]').length) {
            return;
        }
        var $all = $('<input type="checkbox" class="mr-1" data-select-all-lines>');
        $table.find('th:first').prepend($all);
        $all.on('change', function () {
            $table.find('tr td:first-child input[type=checkbox]').prop('checked', $all.is(':checked'));
        });
    };
}(window.oscar, window.jQuery));

/* One menu button on a phone: the main bar's ☰ also opens the account bar, whose own
   button is hidden (static/chaarsoo/css/dashboard.css). */
(function ($) {
    if (!$) {
        return;
    }
    $(function () {
        $('.navbar-primary .navbar-toggler').attr('data-target', '#top_nav_bar, #bottom_nav_bar');
    });
}(window.jQuery));
