#!/usr/bin/python3
"""Reference vectors for src/stats, computed with numpy/scipy.

Run with Debian's interpreter (which has python3-scipy):

    apt-get install -y python3-scipy
    /usr/bin/python3 scripts/stats-vectors.py

It writes src/stats/vectors.json. Small samples are stored inline. Large samples are stored
as generator specs ({"gen": ...}) that src/stats/test-samples.ts expands identically: both
sides use the mulberry32 PRNG and only exact or identically-rounded IEEE operations, so the
TypeScript tests see bit-identical data without a multi-megabyte JSON file.

numpy has no PSI, so psi_reference() below implements the DESIGN.md convention directly
with np.quantile (default 'linear') and np.searchsorted(side='right').
"""

import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "stats" / "vectors.json"
MASK = 0xFFFFFFFF


# --- deterministic samples shared with src/stats/test-samples.ts ------------------------

def mulberry32(seed):
    state = seed & MASK

    def imul(a, b):
        return (a * b) & MASK

    def draw():
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = imul(state ^ (state >> 15), state | 1)
        t = (((t + imul(t ^ (t >> 7), t | 61)) & MASK) ^ t) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296.0

    return draw


def expand(spec):
    """Mirror of expandSample() in test-samples.ts. Operation order matters: keep in sync."""
    if not isinstance(spec, dict):
        return list(spec)
    draw = mulberry32(spec["seed"])
    n, kind = spec["n"], spec["gen"]
    loc, scale = spec.get("loc", 0.0), spec.get("scale", 1.0)
    out = []
    for _ in range(n):
        if kind == "uniform":
            out.append(draw() * scale + loc)
        elif kind == "normal":  # Irwin-Hall(4) centred: mean 0, variance 1/3
            s = draw() + draw() + draw() + draw() - 2.0
            out.append(s * scale + loc)
        elif kind == "int":  # integers loc .. loc + levels - 1
            out.append(float(math.floor(draw() * spec["levels"]) + loc))
        elif kind == "rounded":  # normal rounded down to a grid of 1/10
            s = draw() + draw() + draw() + draw() - 2.0
            out.append(math.floor((s * scale + loc) * 10.0) / 10.0)
        else:
            raise ValueError(kind)
    return out


def gen(kind, seed, n, **kw):
    return {"gen": kind, "seed": seed, "n": n, **kw}


def inline(kind, seed, n, digits=6, **kw):
    return [round(v, digits) for v in expand(gen(kind, seed, n, **kw))]


# --- the PSI convention -------------------------------------------------------------------

def psi_from_counts(ref_counts, cur_counts, epsilon=1e-4):
    e = np.asarray(ref_counts, dtype=float) / np.sum(ref_counts)
    a = np.asarray(cur_counts, dtype=float) / np.sum(cur_counts)
    e[e == 0] = epsilon
    a[a == 0] = epsilon
    return float(np.sum((a - e) * np.log(a / e)))


def quantile_edges(reference, bins=10):
    return np.quantile(np.asarray(reference, dtype=float), np.arange(1, bins) / bins)


def psi_reference(reference, current, bins=10, epsilon=1e-4):
    edges = quantile_edges(reference, bins)
    ref_idx = np.searchsorted(edges, np.asarray(reference, dtype=float), side="right")
    cur_idx = np.searchsorted(edges, np.asarray(current, dtype=float), side="right")
    return psi_from_counts(np.bincount(ref_idx, minlength=bins), np.bincount(cur_idx, minlength=bins), epsilon)


def category_counts(reference, current):
    order = list(dict.fromkeys(list(reference) + list(current)))
    return ([reference.count(c) for c in order], [current.count(c) for c in order])


def msprt_reference(a, b, sigma, tau):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = np.arange(1, len(a) + 1, dtype=float)
    d = np.cumsum(b) / n - np.cumsum(a) / n
    V = 2 * sigma**2
    log_lambda = 0.5 * (np.log(V) - np.log(V + n * tau**2)) + n**2 * tau**2 * d**2 / (2 * V * (V + n * tau**2))
    return [float(p) for p in np.minimum.accumulate(np.minimum(1.0, np.exp(-log_lambda)))]


# --- cases --------------------------------------------------------------------------------

def main():
    v = {"meta": {"scipy": scipy.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}}

    samples = {
        "small_a": inline("normal", 1, 40),
        "small_b": inline("normal", 2, 40, loc=0.3),
        "ties_a": inline("int", 3, 60, levels=5),
        "ties_b": inline("int", 4, 45, levels=6),
        "tiny": [3.0, 1.0, 2.0],
    }

    v["quantileEdges"] = [
        {"sample": s, "bins": b, "edges": [float(e) for e in quantile_edges(expand(s), b)]}
        for s, b in [
            (samples["small_a"], 10), (samples["ties_a"], 10), (samples["tiny"], 10), ([5.0], 10),
            (samples["small_b"], 4), (gen("normal", 5, 1001), 10), (gen("rounded", 6, 997, scale=3.0), 20),
            ([0.1, 0.2], 3), (gen("uniform", 7, 10), 7),
        ]
    ]

    psi_cases = [
        (samples["small_a"], samples["small_b"], {}),
        (samples["small_a"], samples["small_a"], {}),
        (samples["ties_a"], samples["ties_b"], {}),
        (samples["ties_a"], samples["ties_b"], {"bins": 4, "epsilon": 1e-3}),
        ([1.0] * 20, [1.0, 2.0, 0.5, 1.0], {}),  # constant reference: all edges equal
        ([0.0, 1.0, 2.0, 3.0], [10.0, 11.0, 12.0], {}),  # disjoint
        (gen("normal", 11, 5000), gen("normal", 12, 1000, loc=0.1, scale=1.1), {}),
        (gen("normal", 13, 5000), gen("normal", 14, 1000, loc=1.5), {}),
        (gen("rounded", 15, 4000, scale=2.0), gen("rounded", 16, 1200, scale=2.0, loc=0.2), {}),
        (gen("int", 17, 3000, levels=3), gen("int", 18, 800, levels=4), {"bins": 5}),
    ]
    v["psi"] = []
    for ref, cur, opts in psi_cases:
        v["psi"].append({
            "reference": ref, "current": cur, "options": opts,
            "psi": psi_reference(expand(ref), expand(cur), opts.get("bins", 10), opts.get("epsilon", 1e-4)),
        })

    v["psiFromCounts"] = [
        {"reference": r, "current": c, "epsilon": e, "psi": psi_from_counts(r, c, e)}
        for r, c, e in [
            ([10, 20, 30, 40], [40, 30, 20, 10], 1e-4),
            ([5, 0, 5], [0, 5, 5], 1e-4),
            ([5, 0, 5], [0, 5, 5], 0.01),
            ([100, 0, 0, 1], [100, 0, 0, 1], 1e-4),
            ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 0, 0, 0, 0, 0, 0, 0, 0, 7], 1e-4),
        ]
    ]

    cat_cases = [
        (list("aaabbbccd"), list("aabbbbcce")),
        (["x"] * 30 + ["y"] * 10, ["x"] * 5 + ["y"] * 5 + ["z"] * 10),
        (["v1", "v2"] * 50, ["v1", "v2"] * 50),
    ]
    v["psiCategorical"] = []
    for ref, cur in cat_cases:
        rc, cc = category_counts(ref, cur)
        v["psiCategorical"].append({"reference": ref, "current": cur, "psi": psi_from_counts(rc, cc)})

    ks_cases = [
        ("small equal n", samples["small_a"], samples["small_b"]),
        ("small unequal n", samples["small_a"], inline("normal", 21, 25, loc=0.5)),
        ("ties", samples["ties_a"], samples["ties_b"]),
        ("identical", samples["small_a"], samples["small_a"]),
        ("disjoint", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]),
        ("singletons", [1.0], [2.0]),
        ("one vs many", [0.5], inline("uniform", 22, 9)),
        ("medium", gen("normal", 23, 500), gen("normal", 24, 800, loc=0.1)),
        ("medium shifted", gen("normal", 25, 700), gen("normal", 26, 300, loc=0.6)),
        ("exact square 10000", gen("normal", 27, 10000), gen("normal", 28, 10000, loc=0.02)),
        ("exact 10000 vs 3000", gen("normal", 29, 10000), gen("normal", 30, 3000, loc=0.03)),
        ("exact 10000 vs 1000 ties", gen("rounded", 31, 10000), gen("rounded", 32, 1000, loc=0.05)),
        ("asymp 12000 same", gen("normal", 33, 12000), gen("normal", 34, 12000)),
        ("asymp 12000 small shift", gen("normal", 35, 12000), gen("normal", 36, 12000, loc=0.02)),
        ("asymp 12000 shift", gen("normal", 37, 12000), gen("normal", 38, 12000, loc=0.1)),
        ("asymp 12000 big shift", gen("normal", 39, 12000), gen("normal", 40, 12000, loc=0.5)),
        ("asymp 12000 vs 3000", gen("normal", 41, 12000), gen("normal", 42, 3000, loc=0.05)),
        ("asymp 12000 vs 40", gen("normal", 43, 12000), gen("normal", 44, 40, loc=0.2)),
        ("asymp 12000 vs 40 far", gen("normal", 45, 12000), gen("normal", 46, 40, loc=0.6)),
        ("asymp 20000 vs 3", gen("normal", 47, 20000), [0.1, 0.2, 0.15]),
        ("asymp 11000 vs 200 ties", gen("rounded", 48, 11000), gen("rounded", 49, 200, loc=0.1)),
        ("asymp identical", gen("normal", 50, 10001), gen("normal", 50, 10001)),
    ]
    v["ks2samp"] = []
    for name, x, y in ks_cases:
        xs, ys = expand(x), expand(y)
        r = stats.ks_2samp(xs, ys)
        method = "exact" if max(len(xs), len(ys)) <= 10000 else "asymp"
        v["ks2samp"].append({"name": name, "method": method, "x": x, "y": y,
                             "statistic": float(r.statistic), "pvalue": float(r.pvalue)})

    rng = np.random.default_rng(20240601)
    kstwo_rows = []
    for n in [1, 2, 3, 7, 20, 64, 140, 141, 400, 3000, 6000, 50000, 120000]:
        for x in np.exp(rng.uniform(np.log(0.4 / n), 0.0, size=14)):
            kstwo_rows.append([float(x), n, float(stats.kstwo.sf(x, n))])
    v["kstwoSf"] = kstwo_rows
    v["smirnovSf"] = [[n, x, float(special.smirnov(n, x))] for x, n, _ in kstwo_rows if x * n > 1]

    chi_cases = [
        ([10, 20, 30], [15, 15, 30]),
        ([10, 0, 30, 0], [0, 5, 30, 0]),  # zero in one row, a category empty in both
        ([100, 200], [130, 170]),  # dof 1 (no Yates correction)
        ([5000, 5000, 10], [4000, 6000, 500]),  # tiny p
        ([50000, 50000], [30000, 70000]),  # p underflows towards 0
        ([7, 0], [3, 0]),  # one non-empty category: dof 0
        ([int(c) for c in rng.integers(1, 40, size=300)], [int(c) for c in rng.integers(1, 40, size=300)]),
    ]
    v["chi2Contingency"] = []
    for r, c in chi_cases:
        keep = [i for i in range(len(r)) if r[i] + c[i] > 0]
        table = np.array([[r[i] for i in keep], [c[i] for i in keep]], dtype=float)
        res = stats.chi2_contingency(table, correction=False)
        v["chi2Contingency"].append({"reference": r, "current": c, "statistic": float(res[0]),
                                     "dof": int(res[2]), "pvalue": float(res[1])})

    v["chi2Sf"] = []
    for dof in [1, 2, 3, 5, 9, 30, 99, 250, 999]:
        for x in dof * np.exp(rng.uniform(-3.0, 2.5, size=8)):
            v["chi2Sf"].append([float(x), dof, float(stats.chi2.sf(x, dof))])
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.975, 0.999, 1 - 1e-10]
    v["normalQuantile"] = [[p, float(stats.norm.ppf(p))] for p in ps]

    jsd_cases = [
        ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]),
        ([1, 0, 0], [0, 1, 0]),
        ([5, 5, 0, 1], [5, 5, 0, 1]),
        ([1, 2, 3, 4], [10, 20, 30, 40]),
        ([0, 3, 9], [2, 0, 1]),
        ([float(c) for c in rng.integers(0, 50, size=40)], [float(c) for c in rng.integers(0, 50, size=40)]),
    ]
    v["jensenShannon"] = [{"p": p, "q": q, "distance": float(distance.jensenshannon(p, q, base=2))}
                          for p, q in jsd_cases]

    w_cases = [
        ([0.0, 1.0, 3.0], [5.0, 6.0, 8.0]),
        ([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]),
        (samples["small_a"], samples["small_b"]),
        (samples["ties_a"], samples["ties_b"]),
        (samples["small_a"], samples["small_a"]),
        (gen("normal", 61, 5000), gen("normal", 62, 1000, loc=0.3, scale=2.0)),
        (gen("rounded", 63, 12000), gen("rounded", 64, 12000, loc=-0.4)),
    ]
    v["wasserstein1"] = []
    for u, w in w_cases:
        us, ws = expand(u), expand(w)
        d = float(stats.wasserstein_distance(us, ws))
        v["wasserstein1"].append({"u": u, "v": w, "distance": d, "normalized": d / float(np.std(us))})

    srm_cases = [
        ([500, 500], [50, 50]),
        ([520, 480], [1, 1]),
        ([5000, 5400], [0.5, 0.5]),
        ([900, 100], [90, 10]),
        ([1000, 1200, 800], [1, 1, 1]),
        ([10000, 11000, 500], [0.45, 0.45, 0.1]),
        ([100000, 60000], [1, 1]),  # p ~ 1e-1500 underflows to 0
    ]
    v["srmTest"] = []
    for obs, w in srm_cases:
        obs_a, w_a = np.asarray(obs, dtype=float), np.asarray(w, dtype=float)
        res = stats.chisquare(obs_a, obs_a.sum() * w_a / w_a.sum())
        v["srmTest"].append({"observed": obs, "weights": w, "statistic": float(res[0]), "pvalue": float(res[1])})

    v["sampleSize"] = []
    for p1, p2, alpha, power in [(0.1, 0.12, 0.05, 0.8), (0.5, 0.55, 0.05, 0.8), (0.02, 0.025, 0.01, 0.9),
                                 (0.3, 0.2, 0.05, 0.8), (0.9, 0.95, 0.1, 0.95), (0.05, 0.5, 0.05, 0.8)]:
        za, zb = special.ndtri(1 - alpha / 2), special.ndtri(power)
        pbar = (p1 + p2) / 2
        num = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
        v["sampleSize"].append({"p1": p1, "p2": p2, "alpha": alpha, "power": power,
                                "n": math.ceil(num**2 / (p2 - p1) ** 2)})

    msprt_cases = [
        (gen("normal", 71, 300, scale=math.sqrt(3)), gen("normal", 72, 300, scale=math.sqrt(3)), 1.0, 0.5),
        (gen("normal", 73, 300, scale=math.sqrt(3)), gen("normal", 74, 300, scale=math.sqrt(3), loc=0.3), 1.0, 0.5),
        (gen("normal", 75, 200, scale=2.0), gen("normal", 76, 200, scale=2.0, loc=5.0), 1.2, 2.0),  # huge Λ
    ]
    v["msprt"] = [{"a": a, "b": b, "sigma": s, "tau": t, "pvalues": msprt_reference(expand(a), expand(b), s, t)}
                  for a, b, s, t in msprt_cases]

    OUT.write_text(json.dumps(v, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
