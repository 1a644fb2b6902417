/// A storage backend: every storage role in one store. What the server and the CLI open
/// (``SQLiteEventStore`` today) before handing each part of the program only the roles it
/// uses, and what the conformance suite checks a backend against.
public typealias StorageBackend = EventStore & LeadReader & LeadAdministrator & AnalyticsStore & StoreMaintenance
