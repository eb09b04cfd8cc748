//! Windows line endings read as Unix ones, so that the lines named in errors are the lines an
//! editor shows: the CSV reader numbers a CRLF file's records one line too early (it counts a
//! line at the `\n` that follows the `\r` ending a record, after it has noted where the next
//! record starts).

use std::io::Read;

/// A reader that drops every `\r` directly followed by `\n` (also across reads).
pub struct CrlfAsLf<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// A `\r` ended the last chunk read; whether to keep it depends on the next byte.
    held_cr: bool,
}

impl<R: Read> CrlfAsLf<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Self {
        Self { inner, buf: vec![0; 1 << 16], start: 0, end: 0, held_cr: false }
    }

    fn refill(&mut self) -> std::io::Result<()> {
        let n = self.inner.read(&mut self.buf)?;
        let mut out = Vec::with_capacity(n + 1);
        if self.held_cr {
            self.held_cr = false;
            if n == 0 || self.buf[0] != b'\n' {
                out.push(b'\r');
            }
        }
        let chunk = &self.buf[..n];
        for (i, &b) in chunk.iter().enumerate() {
            if b == b'\r' {
                match chunk.get(i + 1) {
                    Some(b'\n') => continue,
                    Some(_) => out.push(b),
                    None => self.held_cr = true,
                }
            } else {
                out.push(b);
            }
        }
        let len = out.len();
        if len > self.buf.len() {
            self.buf.resize(len, 0);
        }
        self.buf[..len].copy_from_slice(&out);
        self.start = 0;
        self.end = len;
        Ok(())
    }
}

impl<R: Read> Read for CrlfAsLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.start == self.end {
            self.refill()?;
            if self.end == 0 && !self.held_cr {
                return Ok(0);
            }
        }
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(out.len()).min(self.0.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut r = CrlfAsLf::new(Chunks(input, chunk));
        let mut v = Vec::new();
        r.read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    fn crlf_becomes_lf_whatever_the_chunk_boundaries() {
        let input = b"a,b\r\n1,\"x\ry\"\r\n2,z\r";
        for chunk in 1..=input.len() {
            assert_eq!(through(input, chunk), b"a,b\n1,\"x\ry\"\n2,z\r", "chunk {chunk}");
        }
    }
}
