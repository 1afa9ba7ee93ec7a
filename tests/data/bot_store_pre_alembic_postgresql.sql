-- The bot_store schema as the pre-Alembic code created it (create_all at c7cb6e5,
-- postgresql); tests/project/test_migrations.py upgrades a database holding it.
CREATE TABLE documents (
	id VARCHAR(40) NOT NULL, 
	owner_mobile VARCHAR(16) NOT NULL, 
	service VARCHAR(32) NOT NULL, 
	record_ref VARCHAR(64) NOT NULL, 
	filename VARCHAR(120) NOT NULL, 
	content BYTEA NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	pages INTEGER NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE download_links (
	token_hash VARCHAR(64) NOT NULL, 
	document_id VARCHAR(40) NOT NULL, 
	owner_mobile VARCHAR(16) NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	downloads INTEGER NOT NULL, 
	PRIMARY KEY (token_hash)
);

CREATE INDEX ix_download_links_document_id ON download_links (document_id);

CREATE TABLE audit_log (
	id SERIAL NOT NULL, 
	at TIMESTAMP WITH TIME ZONE NOT NULL, 
	mobile VARCHAR(16) NOT NULL, 
	channel VARCHAR(24) NOT NULL, 
	service VARCHAR(32) NOT NULL, 
	record_ref VARCHAR(64) NOT NULL, 
	outcome VARCHAR(32) NOT NULL, 
	detail TEXT, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_audit_log_at ON audit_log (at);

CREATE INDEX ix_audit_log_mobile ON audit_log (mobile);

CREATE TABLE preferences (
	mobile VARCHAR(64) NOT NULL, 
	language VARCHAR(2), 
	opted_out INTEGER NOT NULL, 
	privacy_notice_shown INTEGER NOT NULL, 
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (mobile)
);

CREATE TABLE rate_limits (
	key VARCHAR(160) NOT NULL, 
	subject VARCHAR(140), 
	scope VARCHAR(40), 
	window_start TIMESTAMP WITH TIME ZONE NOT NULL, 
	count INTEGER NOT NULL, 
	PRIMARY KEY (key)
);

CREATE INDEX ix_rate_limits_subject ON rate_limits (subject);

CREATE INDEX ix_rate_limits_subject_scope ON rate_limits (subject, scope, window_start);

CREATE TABLE wa_inbox (
	id SERIAL NOT NULL, 
	wamid VARCHAR(128) NOT NULL, 
	wa_id VARCHAR(16) NOT NULL, 
	received_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	message_ts INTEGER, 
	payload TEXT NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	finished_at TIMESTAMP WITH TIME ZONE, 
	lease_until FLOAT, 
	last_error TEXT, 
	PRIMARY KEY (id), 
	UNIQUE (wamid)
);

CREATE INDEX ix_wa_inbox_pending ON wa_inbox (state, wa_id, id);

CREATE TABLE wa_outbox (
	id SERIAL NOT NULL, 
	wa_id VARCHAR(16) NOT NULL, 
	inbox_id INTEGER, 
	answer_to VARCHAR(128), 
	seq INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	body TEXT NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	graph_message_id VARCHAR(128), 
	attempts INTEGER NOT NULL, 
	last_error TEXT, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	sent_at TIMESTAMP WITH TIME ZONE, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_wa_outbox_answer_to UNIQUE (answer_to, seq)
);

CREATE INDEX ix_wa_outbox_wa_id ON wa_outbox (wa_id);

CREATE TABLE wa_statuses (
	id SERIAL NOT NULL, 
	graph_message_id VARCHAR(128) NOT NULL, 
	wa_id VARCHAR(16), 
	status VARCHAR(16) NOT NULL, 
	error_code INTEGER, 
	at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_wa_statuses_message_status UNIQUE (graph_message_id, status)
);

CREATE INDEX ix_wa_statuses_graph_message_id ON wa_statuses (graph_message_id);

CREATE TABLE deferred_deliveries (
	id SERIAL NOT NULL, 
	mobile VARCHAR(16) NOT NULL, 
	channel VARCHAR(24) NOT NULL, 
	service VARCHAR(32) NOT NULL, 
	request TEXT NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	due_by TIMESTAMP WITH TIME ZONE NOT NULL, 
	delivered_at TIMESTAMP WITH TIME ZONE, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_deferred_request UNIQUE (mobile, service, request)
);

CREATE INDEX ix_deferred_deliveries_mobile ON deferred_deliveries (mobile);

CREATE TABLE feedback (
	id SERIAL NOT NULL, 
	mobile VARCHAR(16) NOT NULL, 
	service VARCHAR(32) NOT NULL, 
	language VARCHAR(2) NOT NULL, 
	helpful INTEGER NOT NULL, 
	comment TEXT, 
	at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE portal_calls (
	id SERIAL NOT NULL, 
	at TIMESTAMP WITH TIME ZONE NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	operation VARCHAR(48) NOT NULL, 
	ms FLOAT, 
	outcome VARCHAR(16) NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_portal_calls_at ON portal_calls (at);
