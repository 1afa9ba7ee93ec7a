-- The portal schema as the pre-Alembic code created it (create_all at c7cb6e5,
-- sqlite); tests/project/test_migrations.py upgrades a database holding it.
CREATE TABLE districts (
	code VARCHAR(4) NOT NULL, 
	lgd_code VARCHAR(8) NOT NULL, 
	name_en VARCHAR(80) NOT NULL, 
	name_bn VARCHAR(80) NOT NULL, 
	aliases JSON NOT NULL, 
	PRIMARY KEY (code)
);

CREATE TABLE geo_names (
	id INTEGER NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	code VARCHAR(10) NOT NULL, 
	name_key VARCHAR(120) NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_geo_names_kind_key ON geo_names (kind, name_key);

CREATE INDEX ix_geo_names_name_key ON geo_names (name_key);

CREATE TABLE employees (
	employee_id VARCHAR(12) NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	designation VARCHAR(80) NOT NULL, 
	level VARCHAR(2) NOT NULL, 
	office VARCHAR(120) NOT NULL, 
	office_code VARCHAR(10) NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	bank_account VARCHAR(24) NOT NULL, 
	ifsc VARCHAR(11) NOT NULL, 
	pran VARCHAR(12) NOT NULL, 
	joined_on DATE NOT NULL, 
	PRIMARY KEY (employee_id)
);

CREATE INDEX ix_employees_mobile ON employees (mobile);

CREATE TABLE officials (
	id INTEGER NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	designation VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (mobile)
);

CREATE TABLE otp_codes (
	otp_id VARCHAR(32) NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	purpose VARCHAR(40) NOT NULL, 
	code_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	tries INTEGER NOT NULL, 
	state VARCHAR(12) NOT NULL, 
	PRIMARY KEY (otp_id)
);

CREATE INDEX ix_otp_codes_mobile ON otp_codes (mobile);

CREATE TABLE otp_cooldowns (
	mobile VARCHAR(12) NOT NULL, 
	until DATETIME NOT NULL, 
	PRIMARY KEY (mobile)
);

CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	channel VARCHAR(12) NOT NULL, 
	body TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_outbox_mobile ON outbox (mobile);

CREATE TABLE callback_requests (
	ticket_no VARCHAR(18) NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	topic VARCHAR(80) NOT NULL, 
	context JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (ticket_no)
);

CREATE TABLE demo_meta (
	"key" VARCHAR(40) NOT NULL, 
	value JSON NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE issued_documents (
	code VARCHAR(12) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	record_ref VARCHAR(40) NOT NULL, 
	content_sha256 VARCHAR(64) NOT NULL, 
	office_en VARCHAR(200) NOT NULL, 
	office_bn VARCHAR(200) NOT NULL, 
	issued_on DATE NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	changed_on DATE, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (code), 
	UNIQUE (kind, record_ref, content_sha256)
);

CREATE INDEX ix_issued_documents_record ON issued_documents (kind, record_ref);

CREATE TABLE panchayat_samitis (
	code VARCHAR(7) NOT NULL, 
	lgd_code VARCHAR(8) NOT NULL, 
	district_code VARCHAR(4) NOT NULL, 
	name_en VARCHAR(80) NOT NULL, 
	name_bn VARCHAR(80) NOT NULL, 
	aliases JSON NOT NULL, 
	PRIMARY KEY (code), 
	FOREIGN KEY(district_code) REFERENCES districts (code)
);

CREATE INDEX ix_panchayat_samitis_district_code ON panchayat_samitis (district_code);

CREATE TABLE salary_months (
	id INTEGER NOT NULL, 
	employee_id VARCHAR(12) NOT NULL, 
	month VARCHAR(7) NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	basic INTEGER NOT NULL, 
	da INTEGER NOT NULL, 
	hra INTEGER NOT NULL, 
	ma INTEGER NOT NULL, 
	cpf INTEGER NOT NULL, 
	professional_tax INTEGER NOT NULL, 
	income_tax INTEGER NOT NULL, 
	gsli INTEGER NOT NULL, 
	loan INTEGER NOT NULL, 
	gross INTEGER NOT NULL, 
	deductions INTEGER NOT NULL, 
	net INTEGER NOT NULL, 
	credited_on DATE, 
	bank_ref VARCHAR(24), 
	PRIMARY KEY (id), 
	UNIQUE (employee_id, month), 
	FOREIGN KEY(employee_id) REFERENCES employees (employee_id)
);

CREATE TABLE official_registrations (
	id INTEGER NOT NULL, 
	official_id INTEGER NOT NULL, 
	level VARCHAR(8) NOT NULL, 
	code VARCHAR(10) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(official_id) REFERENCES officials (id)
);

CREATE INDEX ix_official_registrations_official_id ON official_registrations (official_id);

CREATE TABLE tourism_properties (
	id INTEGER NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	name_bn VARCHAR(160) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	district_code VARCHAR(4) NOT NULL, 
	address VARCHAR(200) NOT NULL, 
	phone VARCHAR(20) NOT NULL, 
	tariff_per_room_night INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(district_code) REFERENCES districts (code)
);

CREATE TABLE gram_panchayats (
	code VARCHAR(10) NOT NULL, 
	lgd_code VARCHAR(8) NOT NULL, 
	block_code VARCHAR(7) NOT NULL, 
	name_en VARCHAR(80) NOT NULL, 
	name_bn VARCHAR(80) NOT NULL, 
	aliases JSON NOT NULL, 
	invented BOOLEAN NOT NULL, 
	address_en VARCHAR(200) NOT NULL, 
	address_bn VARCHAR(200) NOT NULL, 
	phone VARCHAR(20) NOT NULL, 
	hours VARCHAR(80) NOT NULL, 
	hours_bn VARCHAR(120) NOT NULL, 
	PRIMARY KEY (code), 
	FOREIGN KEY(block_code) REFERENCES panchayat_samitis (code)
);

CREATE INDEX ix_gram_panchayats_block_code ON gram_panchayats (block_code);

CREATE TABLE tourism_bookings (
	booking_no VARCHAR(18) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	property_id INTEGER NOT NULL, 
	guest_name VARCHAR(80) NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	booked_on DATE NOT NULL, 
	check_in DATE NOT NULL, 
	check_out DATE NOT NULL, 
	rooms INTEGER NOT NULL, 
	guests INTEGER NOT NULL, 
	amount INTEGER NOT NULL, 
	amount_paid INTEGER NOT NULL, 
	payment_ref VARCHAR(24), 
	id_type VARCHAR(40) NOT NULL, 
	PRIMARY KEY (booking_no), 
	FOREIGN KEY(property_id) REFERENCES tourism_properties (id)
);

CREATE INDEX ix_tourism_bookings_mobile ON tourism_bookings (mobile);

CREATE TABLE ps_cash_books (
	id INTEGER NOT NULL, 
	ps_code VARCHAR(7) NOT NULL, 
	month VARCHAR(7) NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	cash_in_hand INTEGER NOT NULL, 
	bank_balance INTEGER NOT NULL, 
	treasury_balance INTEGER NOT NULL, 
	closed_on DATE, 
	funds JSON NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (ps_code, month), 
	FOREIGN KEY(ps_code) REFERENCES panchayat_samitis (code)
);

CREATE TABLE job_cards (
	job_card VARCHAR(24) NOT NULL, 
	karmashree_id VARCHAR(24) NOT NULL, 
	gp_code VARCHAR(10) NOT NULL, 
	head_of_household VARCHAR(80) NOT NULL, 
	head_of_household_bn VARCHAR(120) NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	registered_on DATE NOT NULL, 
	PRIMARY KEY (job_card), 
	UNIQUE (karmashree_id), 
	FOREIGN KEY(gp_code) REFERENCES gram_panchayats (code)
);

CREATE INDEX ix_job_cards_gp_code ON job_cards (gp_code);

CREATE INDEX ix_job_cards_mobile ON job_cards (mobile);

CREATE TABLE trade_nocs (
	application_no VARCHAR(16) NOT NULL, 
	certificate_no VARCHAR(18), 
	status VARCHAR(20) NOT NULL, 
	trade_name VARCHAR(120) NOT NULL, 
	trade_type VARCHAR(80) NOT NULL, 
	owner_name VARCHAR(80) NOT NULL, 
	address VARCHAR(200) NOT NULL, 
	gp_code VARCHAR(10) NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	applied_on DATE NOT NULL, 
	issued_on DATE, 
	valid_until DATE, 
	fee INTEGER NOT NULL, 
	remarks VARCHAR(200) NOT NULL, 
	remarks_bn VARCHAR(300) NOT NULL, 
	PRIMARY KEY (application_no), 
	UNIQUE (certificate_no), 
	FOREIGN KEY(gp_code) REFERENCES gram_panchayats (code)
);

CREATE INDEX ix_trade_nocs_mobile ON trade_nocs (mobile);

CREATE TABLE building_plans (
	application_no VARCHAR(16) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	applicant_name VARCHAR(80) NOT NULL, 
	address VARCHAR(200) NOT NULL, 
	gp_code VARCHAR(10) NOT NULL, 
	mobile VARCHAR(12) NOT NULL, 
	mouza VARCHAR(80) NOT NULL, 
	jl_no VARCHAR(8) NOT NULL, 
	khatian_no VARCHAR(12) NOT NULL, 
	plot_no VARCHAR(12) NOT NULL, 
	plot_area_sqm INTEGER NOT NULL, 
	floors INTEGER NOT NULL, 
	applied_on DATE NOT NULL, 
	approval_no VARCHAR(32), 
	approved_on DATE, 
	valid_until DATE, 
	conditions JSON NOT NULL, 
	remarks VARCHAR(200) NOT NULL, 
	remarks_bn VARCHAR(300) NOT NULL, 
	PRIMARY KEY (application_no), 
	FOREIGN KEY(gp_code) REFERENCES gram_panchayats (code)
);

CREATE INDEX ix_building_plans_mobile ON building_plans (mobile);

CREATE TABLE gp_monthly_accounts (
	id INTEGER NOT NULL, 
	gp_code VARCHAR(10) NOT NULL, 
	month VARCHAR(7) NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	opening_balance INTEGER NOT NULL, 
	receipts INTEGER NOT NULL, 
	payments INTEGER NOT NULL, 
	closing_balance INTEGER NOT NULL, 
	closed_on DATE, 
	lines JSON NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (gp_code, month), 
	FOREIGN KEY(gp_code) REFERENCES gram_panchayats (code)
);

CREATE TABLE workers (
	worker_id VARCHAR(24) NOT NULL, 
	job_card VARCHAR(24) NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	name_bn VARCHAR(120) NOT NULL, 
	age INTEGER NOT NULL, 
	gender VARCHAR(1) NOT NULL, 
	PRIMARY KEY (worker_id), 
	FOREIGN KEY(job_card) REFERENCES job_cards (job_card)
);

CREATE INDEX ix_workers_job_card ON workers (job_card);

CREATE TABLE work_demands (
	receipt_no VARCHAR(20) NOT NULL, 
	job_card VARCHAR(24) NOT NULL, 
	worker_id VARCHAR(24) NOT NULL, 
	days INTEGER NOT NULL, 
	from_date DATE NOT NULL, 
	demanded_on DATE NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	PRIMARY KEY (receipt_no), 
	FOREIGN KEY(job_card) REFERENCES job_cards (job_card), 
	FOREIGN KEY(worker_id) REFERENCES workers (worker_id)
);

CREATE INDEX ix_work_demands_job_card ON work_demands (job_card);

CREATE TABLE allocations (
	id INTEGER NOT NULL, 
	job_card VARCHAR(24) NOT NULL, 
	worker_id VARCHAR(24) NOT NULL, 
	fy VARCHAR(7) NOT NULL, 
	work_name VARCHAR(160) NOT NULL, 
	work_name_bn VARCHAR(200) NOT NULL, 
	scheme VARCHAR(80) NOT NULL, 
	from_date DATE NOT NULL, 
	to_date DATE NOT NULL, 
	days INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(job_card) REFERENCES job_cards (job_card), 
	FOREIGN KEY(worker_id) REFERENCES workers (worker_id)
);

CREATE INDEX ix_allocations_job_card ON allocations (job_card);

CREATE TABLE employment (
	id INTEGER NOT NULL, 
	job_card VARCHAR(24) NOT NULL, 
	worker_id VARCHAR(24) NOT NULL, 
	fy VARCHAR(7) NOT NULL, 
	work_name VARCHAR(160) NOT NULL, 
	work_name_bn VARCHAR(200) NOT NULL, 
	days INTEGER NOT NULL, 
	wage_amount INTEGER NOT NULL, 
	worked_until DATE NOT NULL, 
	paid_on DATE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(job_card) REFERENCES job_cards (job_card), 
	FOREIGN KEY(worker_id) REFERENCES workers (worker_id)
);

CREATE INDEX ix_employment_job_card ON employment (job_card);
