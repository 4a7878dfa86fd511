/* What Flask-Admin's templates and x-editable do in ways the Content-Security-
 * Policy forbids (admin_app/security_headers.py), done the allowed way.
 *
 * Loaded at the end of <body>, after jQuery and before the list/form scripts.
 *  - Our copies of Flask-Admin's action menu and delete button
 *    (templates/admin/actions.html, admin/model/row_actions.html) carry
 *    data-list-action / data-confirm instead of inline onclick handlers.
 *  - Links to "javascript:void(0)" (menu toggles, filter entries) would be
 *    refused when followed: following them is cancelled; their real
 *    handlers still run.
 *  - x-editable reads data-* options with new Function() ("eval"): it gets
 *    JSON.parse (Flask-Admin writes those options as JSON).
 */
(function ($) {
  'use strict';

  $(document).on('click', '[data-list-action]', function (event) {
    event.preventDefault();
    window.modelActions.execute($(this).attr('data-list-action'));
  });

  $(document).on('submit', 'form[data-confirm]', function (event) {
    if (!window.faHelpers.safeConfirm($(this).attr('data-confirm'))) { event.preventDefault(); }
  });

  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[href^="javascript:"]');
    if (link) { event.preventDefault(); }
  }, true);

  // x-editable is loaded after this file; this ready handler runs before
  // those of form.js and sheet.js, which create the editors.
  $(function () {
    var utils = $.fn.editableutils;
    if (!utils) { return; }
    utils.tryParseJson = function (text, safe) {
      if (typeof text === 'string' && text.length && /^[\{\[].*[\}\]]$/.test(text)) {
        try {
          return JSON.parse(text);
        } catch (e) {
          if (!safe) { throw e; }
        }
      }
      return text;
    };
  });
})(window.jQuery);
