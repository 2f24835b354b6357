/*!!
 * Stand-in for Matomo's JavaScript tracking client (boot test only; see README.md).
 * Same shape as the real js/piwik.min.js: a _paq queue, window.Matomo = window.Piwik with
 * getTracker/getAsyncTracker, and the hook custom-matomo-js:update inserts plugin additions at.
 */
/* global _paq:writable, window, Image -- for the linter: this runs in a browser */
;if(typeof _paq!=="object"){_paq=[]}if(typeof window.Matomo!=="object"){window.Matomo=window.Piwik=(function(){var t={},q=[];function T(u,s){this.u=u;this.s=s}T.prototype.trackPageView=function(){var i=new Image();i.src=this.u+"?idsite="+this.s+"&rec=1"};function run(c){var f=c.shift();if(f==="setTrackerUrl"){t.u=c[0]}else if(f==="setSiteId"){t.s=c[0]}else if(f==="trackPageView"){new T(t.u,t.s).trackPageView()}}for(var i=0;i<_paq.length;i++){run(_paq[i].slice())}_paq={push:function(c){run(c.slice())}};/*!!! pluginTrackerHook */return{getTracker:function(u,s){return new T(u,s)},getAsyncTracker:function(){return new T(t.u,t.s)},on:function(e,f){q.push([e,f])}}}())}
