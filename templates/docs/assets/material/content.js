/* Material for MkDocs' inline partials/javascripts/content.html script, moved to a file so the site's Content-Security-Policy
   can forbid inline scripts. tests/test_publish.py fails when Material's own copy changes. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
