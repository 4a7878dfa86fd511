/* Spreadsheet-like editing on the admin's list pages (issue 6).
 *
 * Flask-Admin's form.js sets up x-editable for text, numbers, choices and
 * combodate; this adds the two cells it does not handle:
 *   data-role="x-editable-date": a native date input (combodate's year list
 *     stops at 2030, and a typed date is quicker for a clerk);
 *   data-role="x-editable-ajax": a foreign key picked with select2's ajax
 *     lookup against the view's scoped /ajax/lookup/ URL.
 * Both post like form.js does: list_form_pk, the field and the CSRF token.
 */
(function ($) {
  'use strict';

  function params(p) {
    var out = {list_form_pk: p.pk};
    out[p.name] = p.value;
    var csrf = $(this).data('csrf');
    if (csrf) { out.csrf_token = csrf; }
    return out;
  }

  // An emptied foreign key is sent as '__None', the blank Flask-Admin expects.
  function keyParams(p) {
    var out = params.call(this, p);
    if (out[p.name] === '' || out[p.name] === null) { out[p.name] = '__None'; }
    return out;
  }

  function initDate($el) {
    $el.editable({
      type: 'text',
      params: params,
      tpl: '<input type="date" class="form-control input-sm sheet-date">',
      value: $el.attr('data-value') || '',
      display: function (value) { $(this).text(value || ''); }
    });
  }

  function initAjax($el) {
    var pageSize = 20;
    $el.editable({
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
    });
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
    $('[data-role="x-editable-date"]').each(function () { initDate($(this)); });
    $('[data-role="x-editable-ajax"]').each(function () { initAjax($(this)); });
    initBulkEdit();
  });
})(window.jQuery);
