/* Spreadsheet-like editing on the admin's list pages (issues 6, 11, 14).
 *
 * A cell is a bare link (a.sheet-cell: data-name, data-value its stored
 * value); the row's first cell carries its id and version (data-row,
 * data-version). What an editor of a column needs is
 * in one JSON block per page (#sheet-columns: kind, choices, lookup URL, and
 * the page's CSRF token), and the x-editable editor is built when a cell is
 * first clicked. Each save posts, beside list_form_pk, the field and the
 * token:
 *   version     the version of the row the page was read at;
 *   base_value  the value the cell showed before this edit.
 * The server refuses a cell whose column someone else changed since (409,
 * with the stored value): the cell then shows that value, takes the row's new
 * version and says who changed it. Every answer carries the row's version
 * (X-Record-Version), which all cells of that row take.
 */
(function ($) {
  'use strict';

  var columns = {}, csrf = '';

  // The row a cell belongs to: its id and version sit on the row's first
  // cell (data-row, data-version), or on the cell itself (older markup).
  function rowOf($el) {
    return $el.closest('tr').find('[data-row]').first();
  }

  function pkOf($el) { return $el.attr('data-pk') || rowOf($el).attr('data-row'); }

  function versionOf($el) { return $el.attr('data-version') || rowOf($el).attr('data-version'); }

  function takeVersion($el, xhr) {
    var version = xhr && xhr.getResponseHeader('X-Record-Version');
    if (!version) { return; }
    rowOf($el).attr('data-version', version);
    $el.closest('tr').find('a.sheet-cell[data-version]').attr('data-version', version);
  }

  function params(p) {
    var $el = $(this);
    var out = {list_form_pk: p.pk, version: versionOf($el) || '',
               base_value: $el.attr('data-value') || ''};
    out[p.name] = p.value;
    if (csrf) { out.csrf_token = csrf; }
    $el.data('sheet-sent', p.value);
    return out;
  }

  // An emptied foreign key or choice is sent as '__None', the blank Flask-Admin expects.
  function blankParams(p) {
    var out = params.call(this, p);
    if (out[p.name] === '' || out[p.name] === null) { out[p.name] = '__None'; }
    return out;
  }

  function stored($el) {
    var value = $el.attr('data-value') || '';
    return value === '__None' ? '' : value;
  }

  function booleanIcon(value) {
    var on = value === '1';
    return $('<span />', {'class': 'fa ' + (on ? 'fa-check' : 'fa-minus-circle') +
                          ' glyphicon glyphicon-' + (on ? 'ok-circle' : 'minus-sign')});
  }

  function lookup(desc) {
    var pageSize = 20;
    return {
      width: 260,
      allowClear: !!desc.allow_blank,
      placeholder: desc.placeholder || '',
      minimumInputLength: 0,
      ajax: {
        url: desc.lookup,
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
    };
  }

  // x-editable options of each kind of column (views/sheet_cells.py).
  var kinds = {
    text: function () { return {type: 'text'}; },
    textarea: function () { return {type: 'textarea', rows: 5}; },
    number: function () { return {type: 'number', step: 'any'}; },
    select: function (desc) { return {type: 'select2', source: desc.choices, params: blankParams}; },
    boolean: function (desc) {
      return {type: 'select2', source: desc.choices,
              display: function (value) { $(this).empty().append(booleanIcon(value)); }};
    },
    date: function () {
      // A native date input: combodate's year list stops at 2030.
      return {type: 'text', tpl: '<input type="date" class="form-control input-sm sheet-date">',
              display: function (value) { $(this).text(value || ''); }};
    },
    datetime: function () {
      return {type: 'combodate', format: 'YYYY-MM-DD HH:mm:ss',
              template: 'YYYY-MM-DD  HH:mm:ss',
              combodate: {minuteStep: 1, minYear: 1900, maxYear: 2100}};
    },
    ajax: function (desc) {
      return {type: 'select2', params: blankParams, select2: lookup(desc)};
    }
  };

  function editor($el, desc) {
    return $.extend({
      name: $el.attr('data-name'),
      pk: pkOf($el),
      url: './ajax/update/',
      title: desc.label,
      value: stored($el),
      autotext: 'never',
      params: params,
      ajaxOptions: {complete: function (xhr) { takeVersion($el, xhr); }},
      success: function () {
        var sent = $el.data('sheet-sent');
        $el.attr('data-value', sent === null || sent === undefined ? '' : String(sent));
        $el.removeAttr('title');
      },
      error: function (response) {
        if (response.status !== 409) { return response.responseText; }
        var now;
        try { now = JSON.parse(response.responseText); } catch (e) { return response.responseText; }
        $el.attr('data-value', now.value || '');
        $el.editable('setValue', now.value === '__None' ? '' : now.value, true);
        $el.text(now.display === '\u2014' ? '' : now.display);
        $el.attr('title', now.message);
        return now.message;
      }
    }, kinds[desc.kind](desc));
  }

  // Editors are built on the first click of a cell, from its column's description.
  function open(event) {
    var $el = $(this);
    if ($el.data('editable')) { return; }
    var desc = columns[$el.attr('data-name')];
    if (!desc || !kinds[desc.kind]) { return; }
    event.preventDefault();
    $el.editable(editor($el, desc));
    $el.editable('show');
  }

  function loadColumns() {
    var $block = $('#sheet-columns');
    if (!$block.length) { return; }
    csrf = $block.attr('data-csrf') || '';
    try { columns = JSON.parse($block.text()); } catch (e) { columns = {}; }
  }

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
    loadColumns();
    $(document).on('click', 'a.sheet-cell', open);
    initBulkEdit();
  });
})(window.jQuery);
