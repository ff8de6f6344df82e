# jsoneq.py A B [skipkeys...]: equal JSON, floats within 1e-9 relative; keys listed are not compared
import json,sys,math
skip=set(sys.argv[3:])
def eq(a,b,path):
    if isinstance(a,float) or isinstance(b,float):
        if isinstance(a,(int,float)) and isinstance(b,(int,float)) and math.isclose(a,b,rel_tol=1e-9,abs_tol=1e-12): return True
        print(path,a,b); return False
    if type(a)!=type(b): print(path,a,b); return False
    if isinstance(a,dict):
        if a.keys()!=b.keys(): print(path,'keys'); return False
        return all(eq(a[k],b[k],path+'.'+k) for k in a if k not in skip)
    if isinstance(a,list):
        if len(a)!=len(b): print(path,'len'); return False
        return all(eq(x,y,path+'[%d]'%i) for i,(x,y) in enumerate(zip(a,b)))
    if a!=b: print(path,a,b); return False
    return True
sys.exit(0 if eq(json.load(open(sys.argv[1])),json.load(open(sys.argv[2])),'') else 1)
