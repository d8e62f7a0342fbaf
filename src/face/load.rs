//! Building layers from named tensors of a [`Weights`] file.

use super::ops::{Conv, SepConv};
use super::weights::Weights;
use crate::error::Result;

/// Takes `<prefix>/filters` (`[k][k][cin][cout]`) and `<prefix>/bias`.
pub fn conv(w: &mut Weights, prefix: &str, k: usize, cin: usize, cout: usize) -> Result<Conv> {
    let f = w.take(&format!("{prefix}/filters"), &[k, k, cin, cout])?;
    let b = w.take(&format!("{prefix}/bias"), &[cout])?;
    Ok(Conv::new((k, k), cin, cout, &f.data, &b.data))
}

/// Takes a depthwise-separable layer: `<prefix>/depthwise_filter`,
/// `<prefix>/pointwise_filter` and `<prefix>/bias`.
pub fn sep_conv(w: &mut Weights, prefix: &str, cin: usize, cout: usize) -> Result<SepConv> {
    let dw = w.take(&format!("{prefix}/depthwise_filter"), &[3, 3, cin, 1])?;
    let pw = w.take(&format!("{prefix}/pointwise_filter"), &[1, 1, cin, cout])?;
    let b = w.take(&format!("{prefix}/bias"), &[cout])?;
    Ok(SepConv {
        dw: dw.data,
        pw: Conv::new((1, 1), cin, cout, &pw.data, &b.data),
    })
}
