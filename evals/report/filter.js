(function(){var t=document.getElementById('f-text'),k=document.getElementById('f-kind'),
s=document.getElementById('f-split'),r=document.getElementById('f-result'),n=document.getElementById('f-count');
function go(){var q=t.value.toLowerCase(),c=0,rows=document.querySelectorAll('#all-cases tbody tr');
for(var i=0;i<rows.length;i++){var e=rows[i],ok=(!k.value||e.dataset.kind===k.value)&&
(!s.value||e.dataset.split===s.value)&&(!r.value||e.dataset.result===r.value)&&
(!q||e.textContent.toLowerCase().indexOf(q)>=0);e.style.display=ok?'':'none';if(ok)c++;}
n.textContent=c+' shown';}
[t,k,s,r].forEach(function(x){x.addEventListener('input',go);x.addEventListener('change',go);});go();})();
