"""NBIS side of sealmatch-bench: mindtct minutiae + bozorth3 scores via nbis-py.

Usage: python3 nbis_scores.py DIR PPI OUT < names
  stdin: image file names in DIR, one per line, in the order the benchmark
  uses (sorted). For every unordered pair i < j (nested loop, i outer) the
  second image is compared with the first (probe j against enrolled i).
Output, written to the file OUT (tab separated, one record a line):
  E <name> ok|fail <extract ms>
  S <i> <j> <score or -inf> <compare us>
Exit code 3 when nbis-py cannot be imported.
"""
import sys
import time

try:
    import nbis
except Exception as e:  # noqa: BLE001
    sys.stderr.write("cannot import nbis (pip install nbis-py==0.1.3): %s\n" % e)
    sys.exit(3)


def main():
    directory, ppi, out_path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    names = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    settings = nbis.NbisExtractorSettings(
        min_quality=0.0,
        get_center=False,
        check_fingerprint=False,
        compute_nfiq2=False,
        ppi=ppi,
    )
    extractor = nbis.new_nbis_extractor(settings)
    out = open(out_path, "w")
    templates = []
    for name in names:
        with open(directory + "/" + name, "rb") as f:
            data = f.read()
        t0 = time.perf_counter()
        try:
            m = extractor.extract_minutiae(data)
            ok = True
        except Exception:  # noqa: BLE001 - a failed image scores -inf
            m = None
            ok = False
        ms = (time.perf_counter() - t0) * 1000.0
        templates.append(m)
        out.write("E\t%s\t%s\t%.3f\n" % (name, "ok" if ok else "fail", ms))
    out.flush()
    n = len(templates)
    for i in range(n):
        a = templates[i]
        for j in range(i + 1, n):
            b = templates[j]
            if a is None or b is None:
                out.write("S\t%d\t%d\t-inf\t0\n" % (i, j))
                continue
            t0 = time.perf_counter()
            s = b.compare(a)
            us = (time.perf_counter() - t0) * 1e6
            out.write("S\t%d\t%d\t%d\t%.1f\n" % (i, j, s, us))
    out.close()


if __name__ == "__main__":
    main()
