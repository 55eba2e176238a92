//! Bit flags on recorded steps and messages: what a receiver made of a
//! delivery, and what kind of send a message was. Nodes set them; the trace
//! stores them; views and checks read them.

/// Flags of a delivery step: what the receiver made of it.
pub mod deliver_flags {
    /// The event id, or a request's idempotency key, had been applied
    /// already: a duplicate, ignored.
    pub const DUPLICATE_IGNORED: u16 = 1;
    /// The event carried an older version than the copy had: ignored.
    pub const OLDER_IGNORED: u16 = 2;
    /// A client's request timed out (on a timer step). Its outcome is
    /// unknown, not failed: the service may have done it and the answer
    /// been lost or late.
    pub const GAVE_UP: u16 = 4;
    /// A peer discarded a concurrent write (last-writer-wins).
    pub const WRITE_LOST: u16 = 8;
    /// A blind write overwrote a version its writer never read: a lost update.
    pub const LOST_UPDATE: u16 = 16;
    /// A versioned write was refused: the record had moved on.
    pub const VERSION_CONFLICT: u16 = 32;
    /// A broker gave up on a delivery and moved it to its dead-letter queue
    /// (on a timer step).
    pub const DEAD_LETTERED: u16 = 64;
    /// A consumer rejected a poison event (it sent the broker a reject).
    pub const REJECTED: u16 = 128;
    /// With [`GAVE_UP`]: the client sent the request again (with the same
    /// idempotency key, if it has one) instead of giving up for good.
    pub const RETRIED: u16 = 256;
    /// A request reached a record locked by a prepared two-phase commit
    /// transaction: it waits, and is handled once the decision arrives.
    pub const WAITS_FOR_LOCK: u16 = 512;
}

/// Flags of a message.
pub mod message_flags {
    /// A second copy made by the link's duplication.
    pub const DUPLICATE: u8 = 1;
    /// An answer that carried an older version than the owner held.
    pub const STALE: u8 = 2;
    /// A broker's resend of an unacknowledged delivery.
    pub const REDELIVERY: u8 = 4;
    /// A service reading another service's table from a shared database.
    pub const FOREIGN: u8 = 8;
}
