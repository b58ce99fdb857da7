/* Material for MkDocs' inline partials/javascripts/content.html script, moved to a file so the site's Content-Security-Policy
   can forbid inline scripts. tests/test_publish.py fails when Material's own copy changes. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
/* Material's bundle takes every <link rel=alternate> for another language version of this site and fetches "sitemap.xml"
   next to it (setupAlternate, whatever the link's type); for the Atom feed links in <head> (feeds/*.xml) that is
   feeds/sitemap.xml, a 404 in the console of every page. This file runs after <head> is parsed and before the bundle:
   the feed links become rel="alternate feed", still "alternate" to whatever reads rel as a list of words (as HTML does),
   but not matched by the bundle's exact [rel=alternate]. Feed readers read the HTML as served, where rel is "alternate". */
;document.querySelectorAll('link[rel=alternate][type="application/atom+xml"]').forEach(function(l){l.rel="alternate feed"});
