#!/usr/bin/env python
"""Write the small sample files the notebooks and tests attach to messages (stdlib only, deterministic):

    python tools/mksamples.py          # writes samples/puppy.png and samples/doc.pdf

`puppy.png` is a 64x64 RGB drawing of a dog's face; `doc.pdf` is a minimal valid one-page PDF whose only text is
"lisette_like sample PDF"."""
import struct, zlib
from pathlib import Path

def _chunk(typ, data):
    "One PNG chunk: length, type, data, CRC over type+data."
    return struct.pack('>I', len(data)) + typ + data + struct.pack('>I', zlib.crc32(typ + data) & 0xffffffff)

def _in_ellipse(x, y, cx, cy, rx, ry): return ((x-cx)/rx)**2 + ((y-cy)/ry)**2 <= 1

def _pixel(x, y):
    "Colour of pixel (x,y) in the puppy drawing."
    bg, fur, ear, eye, nose = (200,230,255), (205,150,90), (120,75,40), (25,25,25), (40,20,20)
    if _in_ellipse(x,y,24,36,2.5,3) or _in_ellipse(x,y,40,36,2.5,3): return eye
    if _in_ellipse(x,y,32,46,4,3): return nose
    if _in_ellipse(x,y,14,26,7,14) or _in_ellipse(x,y,50,26,7,14): return ear
    if _in_ellipse(x,y,32,38,18,20): return fur
    return bg

def mk_png(w=64, h=64):
    "Bytes of a w x h RGB PNG of the puppy drawing."
    raw = b''.join(b'\x00' + bytes(c for x in range(w) for c in _pixel(x,y)) for y in range(h))
    ihdr = struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + _chunk(b'IHDR', ihdr) + _chunk(b'IDAT', zlib.compress(raw, 9)) + _chunk(b'IEND', b'')

def mk_pdf(text='lisette_like sample PDF'):
    "Bytes of a minimal valid one-page PDF showing `text`, with a correct xref table."
    stream = f'BT /F1 24 Tf 72 720 Td ({text}) Tj ET'.encode()
    objs = [b'<< /Type /Catalog /Pages 2 0 R >>',
            b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
            b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
            b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream',
            b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']
    out, offs = bytearray(b'%PDF-1.4\n'), []
    for i,o in enumerate(objs, 1):
        offs.append(len(out))
        out += b'%d 0 obj\n' % i + o + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs)+1)
    out += b''.join(b'%010d 00000 n \n' % o for o in offs)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs)+1, xref)
    return bytes(out)

def main(dest=None):
    "Write puppy.png and doc.pdf into `dest` (default: the repo's samples/ folder)."
    d = Path(dest or Path(__file__).resolve().parent.parent/'samples')
    d.mkdir(exist_ok=True)
    (d/'puppy.png').write_bytes(mk_png())
    (d/'doc.pdf').write_bytes(mk_pdf())
    return d

if __name__ == '__main__': print(main())
