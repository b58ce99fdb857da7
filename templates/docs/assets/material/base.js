/* Material for MkDocs' inline partials/javascripts/base.html script, moved to a file so the site's Content-Security-Policy
   can forbid inline scripts. tests/test_publish.py fails when Material's own copy changes. */
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
/* 大字: applied before the first paint, so the page does not jump when larger text was chosen. */
try{if(localStorage.getItem("dc-bigger")==="1"){document.documentElement.classList.add("dc-bigger-text")}}catch(e){}
