import FootfallCore
import GRDB

/// How an ``Account`` is stored in the `accounts` table (one row per tenant and domain).
enum AccountRow {
    static func account(from row: Row) -> Account {
        Account(
            domain: row["domain"], name: row["name"], industry: row["industry"], employees: row["employees"],
            owner: row["owner"], tier: row["tier"])
    }

    static let insertSQL = """
        INSERT INTO accounts (tenant_id, domain, name, industry, employees, owner, tier) VALUES (?, ?, ?, ?, ?, ?, ?)
        """

    static func arguments(_ account: Account, tenantID: Int64) -> StatementArguments {
        [tenantID, account.domain, account.name, account.industry, account.employees, account.owner, account.tier]
    }
}
