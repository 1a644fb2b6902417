import GRDB
import GRDBSQLite

/// Binds one row's values straight into a prepared statement's parameters, in order: the
/// writer's hot statements (an event insert, a visit upsert) use it instead of GRDB's
/// `StatementArguments`, which boxes every value as an existential and converts it to a
/// `DatabaseValue` first — about 11% of the writer's time for the 42 columns of an event
/// (perf, `make bench writer`). Values are stored as GRDB stores them (integers and Bools as
/// INTEGER, Doubles as REAL, Strings as TEXT, nil as NULL), so every GRDB read sees the same rows.
struct RowBinder {
    private let statement: Statement
    private var index: CInt = 0

    /// Starts a row on `statement`: resets it and clears its previous row's parameters.
    init(_ statement: Statement) {
        // Marks the (empty) arguments as set, so `execute()` steps with what is bound here.
        statement.setUncheckedArguments([])
        self.statement = statement
    }

    mutating func add(_ value: Int64) {
        check(sqlite3_bind_int64(statement.sqliteStatement, next(), value))
    }

    mutating func add(_ value: Int) { add(Int64(value)) }

    mutating func add(_ value: Bool) { add(Int64(value ? 1 : 0)) }

    mutating func add(_ value: Double?) {
        let position = next()
        check(value.map { sqlite3_bind_double(statement.sqliteStatement, position, $0) }
            ?? sqlite3_bind_null(statement.sqliteStatement, position))
    }

    mutating func add(_ value: String) {
        var text = value
        text.withUTF8 { add(utf8: $0) }
    }

    /// Text given as its UTF-8 bytes (SQLite copies them).
    mutating func add(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let position = next()
        let code = bytes.withMemoryRebound(to: CChar.self) { chars in
            guard let address = chars.baseAddress else {
                // An empty buffer may have no address, and SQLite binds a NULL pointer as NULL, not ''.
                return sqlite3_bind_text(statement.sqliteStatement, position, "", 0, Self.transient)
            }
            return sqlite3_bind_text(statement.sqliteStatement, position, address, CInt(chars.count), Self.transient)
        }
        check(code)
    }

    /// Runs the statement on the bound row.
    /// - Throws: the `DatabaseError` of a failed step (a constraint, a full disk).
    func execute() throws {
        let count = sqlite3_bind_parameter_count(statement.sqliteStatement)
        precondition(index == count, "bound \(index) of \(count) parameters")
        try statement.execute()
    }

    private mutating func next() -> CInt {
        index += 1
        return index
    }

    /// A bind fails only on a wrong index or type: a programming error, as GRDB treats it.
    private func check(_ code: CInt) {
        precondition(code == SQLITE_OK, "sqlite3_bind failed (\(code)) at parameter \(index)")
    }

    /// SQLite's `SQLITE_TRANSIENT`: copy the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
