"""NBIS side of the mixed-extractor table (examples/mixed_extractors.rs).

Usage: python3 nbis_iso.py DIR PPI OUTDIR
  For every .png/.tif/.bmp image in DIR (sorted), mindtct (through nbis-py)
  minutiae written as an ISO/IEC 19794-2:2005 record OUTDIR/<stem>.iso
  (nbis-py's record, its framing made standard: see standard_record), and
  bozorth3 scores over every unordered pair i < j (probe j against enrolled
  i) in OUTDIR/bozorth3.tsv: "<name i>\t<name j>\t<score>" (-inf when an
  image failed). Exit code 3 when nbis-py cannot be imported.
"""
import os
import sys

try:
    import nbis
except Exception as e:  # noqa: BLE001
    sys.stderr.write("cannot import nbis (pip install nbis-py==0.1.3): %s\n" % e)
    sys.exit(3)


def standard_record(raw, ppcm):
    """nbis-py 0.1.3's to_iso_19794_2_2005() leaves out the header's view
    count and reserved byte and the view's extended data length, and writes
    resolution 0; this puts them in (one view, no extended data, `ppcm`)."""
    raw = bytes(raw)
    header, view = bytearray(raw[:22]), raw[22:]
    if header[18:22] == b"\0\0\0\0":
        header[18:22] = ppcm.to_bytes(2, "big") * 2
    out = header + b"\x01\x00" + view + b"\x00\x00"
    out[8:12] = len(out).to_bytes(4, "big")
    return bytes(out)


def main():
    directory, ppi, out_dir = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(directory) if n.lower().endswith((".png", ".tif", ".bmp")))
    settings = nbis.NbisExtractorSettings(
        min_quality=0.0,
        get_center=False,
        check_fingerprint=False,
        compute_nfiq2=False,
        ppi=ppi,
    )
    extractor = nbis.new_nbis_extractor(settings)
    templates = []
    for name in names:
        with open(os.path.join(directory, name), "rb") as f:
            data = f.read()
        try:
            m = extractor.extract_minutiae(data)
        except Exception:  # noqa: BLE001 - a failed image scores -inf
            m = None
        templates.append(m)
        if m is not None:
            with open(os.path.join(out_dir, os.path.splitext(name)[0] + ".iso"), "wb") as f:
                f.write(standard_record(m.to_iso_19794_2_2005(), round(ppi / 2.54)))
    with open(os.path.join(out_dir, "bozorth3.tsv"), "w") as out:
        for i, a in enumerate(templates):
            for j in range(i + 1, len(templates)):
                b = templates[j]
                s = "-inf" if a is None or b is None else "%d" % b.compare(a)
                out.write("%s\t%s\t%s\n" % (names[i], names[j], s))


if __name__ == "__main__":
    main()
