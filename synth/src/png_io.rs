//! Reading and writing 8-bit greyscale PNG files.

use crate::SynthImage;
use std::io::{BufWriter, Read, Write};

/// Encodes an image as an 8-bit greyscale PNG.
///
/// ```
/// use sealmatch_synth::{png_io, SynthImage};
/// let img = SynthImage { width: 2, height: 1, pixels: vec![0, 255] };
/// let bytes = png_io::encode(&img).unwrap();
/// assert_eq!(png_io::decode(&bytes[..]).unwrap(), img);
/// ```
pub fn encode(img: &SynthImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let w = BufWriter::new(&mut out);
        write_to(img, w)?;
    }
    Ok(out)
}

/// Writes an image as PNG to `path`.
pub fn write(img: &SynthImage, path: &std::path::Path) -> Result<(), String> {
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    write_to(img, BufWriter::new(f))
}

fn write_to<W: Write>(img: &SynthImage, w: W) -> Result<(), String> {
    let (width, height) = (
        u32::try_from(img.width).map_err(|_| "image too wide")?,
        u32::try_from(img.height).map_err(|_| "image too tall")?,
    );
    let mut enc = png::Encoder::new(w, width, height);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&img.pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())
}

/// Decodes a PNG (grey, grey+alpha, RGB, RGBA or palette; 8 or 16 bits) into
/// 8-bit grey, with luma = (299 R + 587 G + 114 B) / 1000 for colour images.
pub fn decode<R: Read>(mut r: R) -> Result<SynthImage, String> {
    let mut bytes = Vec::new();
    r.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|e| e.to_string())?;
    let size = reader.output_buffer_size().ok_or("PNG image too large")?;
    if size > 64 << 20 {
        return Err("PNG image too large".into());
    }
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let stride = info.line_size;
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        let row = &buf[y * stride..][..w * channels];
        for px in row.chunks_exact(channels) {
            let g = match channels {
                1 | 2 => px[0],
                _ => ((299 * px[0] as u32 + 587 * px[1] as u32 + 114 * px[2] as u32) / 1000) as u8,
            };
            pixels.push(g);
        }
    }
    Ok(SynthImage {
        width: w,
        height: h,
        pixels,
    })
}

/// Reads a PNG file into 8-bit grey.
pub fn read(path: &std::path::Path) -> Result<SynthImage, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    decode(f).map_err(|e| format!("{}: {e}", path.display()))
}
