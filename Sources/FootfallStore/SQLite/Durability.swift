/// How much a committed transaction of the event database survives (`--durability`).
public enum Durability: String, Sendable, CaseIterable {
    /// WAL with `synchronous=FULL`: every commit is fsynced, so an acknowledged event
    /// survives a process crash and power loss. The default.
    case full
    /// WAL with `synchronous=NORMAL`: the WAL is fsynced only at checkpoints, so an
    /// acknowledged event survives a process crash (SIGKILL, OOM kill) but the last commits
    /// may be lost on power loss or an OS crash.
    case normal

    /// The `PRAGMA synchronous` value.
    var synchronous: String { self == .full ? "FULL" : "NORMAL" }
}
