-- Issue 13 (cost flat as the data grows): each signed tree head keeps the roots of the perfect subtrees that make up
-- its tree (RFC 6962's compact range: one 32-byte hash per binary digit 1 of tree_size, largest subtree first) and the
-- chain hash of its last row. A restarted bus resumes hashing from the latest head's frontier instead of reading the
-- whole trail again; it uses a frontier only if the head's signature is the bus's, the frontier folds to the head's
-- signed root and the trail's row tree_size still has that chain hash (audit/TreeHeads). Derived data, not signed:
-- null for heads signed before this migration, and the bus then reads the trail once.
ALTER TABLE audit_tree_head ADD COLUMN frontier BYTEA;
ALTER TABLE audit_tree_head ADD COLUMN frontier_last_hash CHAR(64);
