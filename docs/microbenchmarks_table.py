import json, sys
L, R, m = 2, 3418, 1024
def kv(mode, d):
    du = max(1, d // 32)
    return 4*d*m + 4*d*du if mode == 'collective' else 4*d*d
def step_flops(mode, d, W):
    return L*(6*d*d + kv(mode, d) + 4*W*d) + 2*R*d
def prefill_flops(mode, d, W):
    return L*(W*(6*d*d + kv(mode, d)) + 4*d*W*W) + 2*R*d
rows = json.load(open(sys.argv[1]))
res = {}
mm = {}
for r in rows:
    name = r['benchmark'].split('.')[-1]
    p = r.get('params', {})
    score = r['primaryMetric']['score']; err = r['primaryMetric']['scoreError']
    if 'Matmul' in r['benchmark']:
        n = int(p['n']); mm[n] = (score, err, 2*n**3/(score*1e-6)/1e9)
    else:
        res[(p['kvMode'], int(p['d']), int(p['window']), name)] = (score, err)
best_mm = max(v[2] for v in mm.values()) if mm else None
print("| kv mode | d | W | step µs | prefill µs (= cache mode none) | prefill / step | codec round trip µs | step GFLOP/s | share of matmul GFLOP/s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for mode in ['collective', 'full']:
    for d in [64, 256]:
        for W in [50, 200, 1000]:
            s = res.get((mode, d, W, 'step')); pf = res.get((mode, d, W, 'prefill')); c = res.get((mode, d, W, 'codec'))
            if not s: continue
            g = step_flops(mode, d, W)/(s[0]*1e-6)/1e9
            print(f"| {mode} | {d} | {W} | {s[0]:.1f} ± {s[1]:.1f} | {pf[0]:.1f} ± {pf[1]:.1f} | {pf[0]/s[0]:.1f}× | {c[0]:.1f} ± {c[1]:.1f} | {g:.2f} | {100*g/best_mm:.1f}% |")
print()
print("| matmul n | µs per call | GFLOP/s |")
print("|---:|---:|---:|")
for n, (sc, er, g) in sorted(mm.items()):
    print(f"| {n} | {sc:.1f} ± {er:.1f} | {g:.2f} |")
