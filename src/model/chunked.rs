//! An append-only vector stored in fixed-size chunks.
//!
//! A trace grows to millions of entries; a plain `Vec` would double its
//! buffer (and copy it) as it grows, so its peak memory can be twice its
//! content. Chunks keep the waste to one partly-filled chunk and never move
//! what is already recorded.
//!
//! Chunks are sized in bytes, not entries: large enough that the
//! allocator maps each one afresh in big pieces (a long run spends much of
//! its time having the kernel hand it zeroed pages, fewer and larger
//! faults cost less), small enough that a lesson's short trace stays a
//! few megabytes. The first chunk alone starts small and doubles up to
//! that size: a search runs a lesson tens of thousands of times, each run
//! a few hundred steps, and a fresh two-megabyte chunk per table per run
//! would have the kernel zero more memory than the run ever touches.

/// What one chunk aims to hold, in bytes.
const CHUNK_BYTES: usize = 1 << 21;

/// About what the first chunk holds at first, in bytes; it grows as a
/// `Vec` does, by doubling, to a full chunk.
const FIRST_BYTES: usize = 1 << 12;

/// Append-only storage with stable indices and bounded slack.
#[derive(Clone, Debug)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    /// Entries per chunk as a power of two: the most that fit `CHUNK_BYTES`.
    const SHIFT: u32 = (CHUNK_BYTES / Self::SIZE).ilog2();
    const CHUNK: usize = 1 << Self::SHIFT;
    const MASK: usize = Self::CHUNK - 1;
    const SIZE: usize = if std::mem::size_of::<T>() == 0 {
        1
    } else {
        std::mem::size_of::<T>()
    };

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends and returns the new entry's index.
    #[inline]
    pub fn push(&mut self, value: T) -> usize {
        if self.len & Self::MASK == 0 {
            self.new_chunk();
        }
        if let Some(last) = self.chunks.last_mut() {
            last.push(value);
        }
        self.len += 1;
        self.len - 1
    }

    /// Starts the next chunk: the first one small (it grows by doubling
    /// to a full chunk), the others full-sized at once.
    #[cold]
    fn new_chunk(&mut self) {
        // A power of two, as `CHUNK` is, so doubling reaches it exactly.
        let capacity = if self.chunks.is_empty() {
            (Self::CHUNK >> (CHUNK_BYTES / FIRST_BYTES).ilog2()).max(1)
        } else {
            Self::CHUNK
        };
        self.chunks.push(Vec::with_capacity(capacity));
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks
            .get(i >> Self::SHIFT)
            .and_then(|c| c.get(i & Self::MASK))
    }

    #[inline]
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.chunks
            .get_mut(i >> Self::SHIFT)
            .and_then(|c| c.get_mut(i & Self::MASK))
    }

    /// Everything, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.chunks.iter().flatten()
    }

    /// Entries from index `from` on.
    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = &T> + '_ {
        let first = from >> Self::SHIFT;
        let skip = from & Self::MASK;
        self.chunks
            .iter()
            .skip(first)
            .enumerate()
            .flat_map(move |(n, c)| c.iter().skip(if n == 0 { skip } else { 0 }))
    }

    /// Drops every entry from index `len` on (used when the future forks).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let keep_chunks = len.div_ceil(Self::CHUNK);
        self.chunks.truncate(keep_chunks);
        if let Some(last) = self.chunks.last_mut() {
            let in_last = len - (keep_chunks - 1) * Self::CHUNK;
            last.truncate(in_last);
        }
        self.len = len;
    }

    /// Bytes allocated, including the slack of the last chunk.
    pub fn bytes(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum::<usize>() * std::mem::size_of::<T>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<T>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_across_chunks_and_truncates() {
        let mut c: Chunked<usize> = Chunked::default();
        const CHUNK: usize = Chunked::<usize>::CHUNK;
        for i in 0..(CHUNK * 2 + 5) {
            assert_eq!(c.push(i), i);
        }
        assert_eq!(c.get(CHUNK + 3), Some(&(CHUNK + 3)));
        assert_eq!(c.iter_from(CHUNK * 2).count(), 5);
        assert_eq!(c.iter_from(3).next(), Some(&3));
        c.truncate(CHUNK);
        assert_eq!(c.len(), CHUNK);
        assert_eq!(c.get(CHUNK), None);
        assert_eq!(c.iter().count(), CHUNK);
        c.push(7);
        assert_eq!(c.get(CHUNK), Some(&7));
    }

    #[test]
    fn the_first_chunk_starts_small_and_grows_to_a_full_one() {
        let mut c: Chunked<u64> = Chunked::default();
        const CHUNK: usize = Chunked::<u64>::CHUNK;
        c.push(1);
        assert!(c.bytes() < 2 * FIRST_BYTES, "{}", c.bytes());
        for i in 1..CHUNK + 1 {
            c.push(i as u64);
        }
        // Two chunks, each of the full size: a long run's memory is as before.
        assert_eq!(
            c.chunks.iter().map(Vec::capacity).collect::<Vec<_>>(),
            [CHUNK, CHUNK]
        );
        assert_eq!(c.get(CHUNK - 1), Some(&(CHUNK as u64 - 1)));
        assert_eq!(c.get(CHUNK), Some(&(CHUNK as u64)));
    }
}
