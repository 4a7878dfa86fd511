/* Spreadsheet-like editing on the admin's list pages (issue 6, 11).
 *
 * Every inline cell (data-role="sheet-cell", its x-editable set-up in
 * data-kind) is set up here rather than by Flask-Admin's form.js, so that each
 * save posts, beside list_form_pk, the field and the CSRF token:
 *   version     the version of the row the page was read at;
 *   base_value  the value the cell showed before this edit.
 * The server refuses a cell whose column someone else changed since (409,
 * with the stored value): the cell then shows that value, takes the row's new
 * version and says who changed it. Every answer carries the row's version
 * (X-Record-Version), which all cells of that row take.
 * Kinds besides Flask-Admin's: x-editable-date (a native date input:
 * combodate's year list stops at 2030) and x-editable-ajax (a foreign key
 * picked with select2's ajax lookup against the view's scoped URL).
 */
(function ($) {
  'use strict';

  function rowCells($el) {
    return $el.closest('table').find('[data-role="sheet-cell"][data-pk="' + $el.attr('data-pk') + '"]');
  }

  function takeVersion($el, xhr) {
    var version = xhr && xhr.getResponseHeader('X-Record-Version');
    if (version) { rowCells($el).attr('data-version', version); }
  }

  function params(p) {
    var $el = $(this);
    var out = {list_form_pk: p.pk, version: $el.attr('data-version') || '',
               base_value: $el.attr('data-value') || ''};
    out[p.name] = p.value;
    var csrf = $el.attr('data-csrf');
    if (csrf) { out.csrf_token = csrf; }
    $el.data('sheet-sent', p.value);
    return out;
  }

  // An emptied foreign key is sent as '__None', the blank Flask-Admin expects.
  function keyParams(p) {
    var out = params.call(this, p);
    if (out[p.name] === '' || out[p.name] === null) { out[p.name] = '__None'; }
    return out;
  }

  function common($el, options) {
    return $.extend({
      params: params,
      ajaxOptions: {complete: function (xhr) { takeVersion($el, xhr); }},
      success: function () {
        var sent = $el.data('sheet-sent');
        $el.attr('data-value', sent === null || sent === undefined ? '' : String(sent));
      },
      error: function (response) {
        if (response.status !== 409) { return response.responseText; }
        var stored = {};
        try { stored = JSON.parse(response.responseText); } catch (e) { return response.responseText; }
        $el.attr('data-value', stored.value || '');
        $el.editable('setValue', stored.value === '__None' ? '' : stored.value, true);
        $el.text(stored.display === '\u2014' ? '' : stored.display);
        $el.attr('title', stored.message);
        return stored.message;
      }
    }, options);
  }

  var booleanIcon = function (value) {
    var on = value === '1';
    return $('<span />', {'class': 'fa ' + (on ? 'fa-check' : 'fa-minus-circle') +
                          ' glyphicon glyphicon-' + (on ? 'ok-circle' : 'minus-sign')});
  };

  var kinds = {
    'x-editable': function ($el) { $el.editable(common($el, {combodate: {minuteStep: 1}})); },
    'x-editable-combodate': function ($el) {
      // Bootstrap 4's popover breaks on data-template (flask-admin #2022).
      var template = $el.data('template');
      $el.removeAttr('data-template');
      $el.editable(common($el, {template: template,
                                combodate: {minuteStep: 1, maxYear: 2100, minYear: 1900}}));
    },
    'x-editable-boolean': function ($el) {
      $el.editable(common($el, {
        display: function (value) { $(this).empty().append(booleanIcon(value)); }
      }));
    },
    'x-editable-date': function ($el) {
      $el.editable(common($el, {
        type: 'text',
        tpl: '<input type="date" class="form-control input-sm sheet-date">',
        value: $el.attr('data-value') || '',
        display: function (value) { $(this).text(value || ''); }
      }));
    },
    'x-editable-ajax': function ($el) {
      var pageSize = 20;
      $el.editable(common($el, {
        type: 'select2',
        params: keyParams,
        value: $el.attr('data-value') === '__None' ? '' : $el.attr('data-value'),
        select2: {
          width: 260,
          allowClear: !!$el.attr('data-allow-blank'),
          placeholder: $el.attr('data-placeholder') || '',
          minimumInputLength: 0,
          ajax: {
            url: $el.attr('data-lookup'),
            dataType: 'json',
            quietMillis: 250,
            data: function (term, page) {
              return {query: term, offset: (page - 1) * pageSize, limit: pageSize};
            },
            results: function (data) {
              return {
                results: $.map(data, function (item) { return {id: String(item[0]), text: item[1]}; }),
                more: data.length === pageSize
              };
            }
          }
        }
      }));
    }
  };

  // The bulk-edit page: choosing another field reloads the form with that
  // field's value input (a select, a date, a lookup…).
  function initBulkEdit() {
    $('#bulk-field').on('change', function () {
      var $form = $(this).closest('form');
      $form.append($('<input type="hidden" name="step" value="choose">'));
      $form.submit();
    });
  }

  $(function () {
    $('[data-role="sheet-cell"]').each(function () {
      var $el = $(this), setUp = kinds[$el.attr('data-kind')];
      if (setUp) { setUp($el); }
    });
    initBulkEdit();
  });
})(window.jQuery);
