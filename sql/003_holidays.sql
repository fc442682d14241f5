-- 003_holidays: holiday sets for counting business days (regime-rule.md,
-- "calendar"), and the dates in them.  Seeded from the project's reference
-- snapshot shared/reference/holidays.json; the UK sets are refreshed by
-- importing GOV.UK's bank-holidays.json (server/holidays.c).
-- A day is a local civil date in the regime's zone, not an instant.

-- One holiday set, e.g. the bank holidays of England and Wales.
CREATE TABLE holiday_sets (
	id          TEXT PRIMARY KEY,          -- gb-eaw, gb-sct, gb-ni, br, us
	name        TEXT NOT NULL,             -- shown to people
	source      TEXT NOT NULL,             -- where the dates come from
	updated_at  INTEGER NOT NULL           -- when the dates were last
	                                       -- fetched or compiled (seconds
	                                       -- since 1970-01-01 UTC)
) STRICT;

-- The holidays of each set: days that are not business days.
CREATE TABLE holidays (
	set_id      TEXT NOT NULL REFERENCES holiday_sets (id), -- the set
	day         TEXT NOT NULL CHECK (day GLOB
	    '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'), -- YYYY-MM-DD, local
	title       TEXT NOT NULL,             -- the holiday's name
	PRIMARY KEY (set_id, day)
) STRICT;

-- UK bank holidays.  Source as recorded in the reference file; the
-- updated_at is its snapshot date, 2025-08-17.  Substitute days are
-- listed on the day they are taken (e.g. Boxing Day 2026 on Mon 28 Dec);
-- titles are verbatim, as an import of the GOV.UK file stores them.
INSERT INTO holiday_sets (id, name, source, updated_at) VALUES
	('gb-eaw', 'England and Wales bank holidays',
	 'GOV.UK https://www.gov.uk/bank-holidays.json, via automated mirror github.com/dmossop/bank-holidays-data (fetch_bank_holidays.py downloads that URL; snapshot commit 53da110d, 2025-08-17)',
	 1755388800);
INSERT INTO holiday_sets (id, name, source, updated_at) VALUES
	('gb-sct', 'Scotland bank holidays',
	 'GOV.UK https://www.gov.uk/bank-holidays.json, via automated mirror github.com/dmossop/bank-holidays-data (fetch_bank_holidays.py downloads that URL; snapshot commit 53da110d, 2025-08-17)',
	 1755388800);
INSERT INTO holiday_sets (id, name, source, updated_at) VALUES
	('gb-ni', 'Northern Ireland bank holidays',
	 'GOV.UK https://www.gov.uk/bank-holidays.json, via automated mirror github.com/dmossop/bank-holidays-data (fetch_bank_holidays.py downloads that URL; snapshot commit 53da110d, 2025-08-17)',
	 1755388800);
INSERT INTO holidays (set_id, day, title) VALUES
	('gb-eaw', '2024-01-01', 'New Year’s Day'),
	('gb-eaw', '2024-03-29', 'Good Friday'),
	('gb-eaw', '2024-04-01', 'Easter Monday'),
	('gb-eaw', '2024-05-06', 'Early May bank holiday'),
	('gb-eaw', '2024-05-27', 'Spring bank holiday'),
	('gb-eaw', '2024-08-26', 'Summer bank holiday'),
	('gb-eaw', '2024-12-25', 'Christmas Day'),
	('gb-eaw', '2024-12-26', 'Boxing Day'),
	('gb-eaw', '2025-01-01', 'New Year’s Day'),
	('gb-eaw', '2025-04-18', 'Good Friday'),
	('gb-eaw', '2025-04-21', 'Easter Monday'),
	('gb-eaw', '2025-05-05', 'Early May bank holiday'),
	('gb-eaw', '2025-05-26', 'Spring bank holiday'),
	('gb-eaw', '2025-08-25', 'Summer bank holiday'),
	('gb-eaw', '2025-12-25', 'Christmas Day'),
	('gb-eaw', '2025-12-26', 'Boxing Day'),
	('gb-eaw', '2026-01-01', 'New Year’s Day'),
	('gb-eaw', '2026-04-03', 'Good Friday'),
	('gb-eaw', '2026-04-06', 'Easter Monday'),
	('gb-eaw', '2026-05-04', 'Early May bank holiday'),
	('gb-eaw', '2026-05-25', 'Spring bank holiday'),
	('gb-eaw', '2026-08-31', 'Summer bank holiday'),
	('gb-eaw', '2026-12-25', 'Christmas Day'),
	('gb-eaw', '2026-12-28', 'Boxing Day'),
	('gb-eaw', '2027-01-01', 'New Year’s Day'),
	('gb-eaw', '2027-03-26', 'Good Friday'),
	('gb-eaw', '2027-03-29', 'Easter Monday'),
	('gb-eaw', '2027-05-03', 'Early May bank holiday'),
	('gb-eaw', '2027-05-31', 'Spring bank holiday'),
	('gb-eaw', '2027-08-30', 'Summer bank holiday'),
	('gb-eaw', '2027-12-27', 'Christmas Day'),
	('gb-eaw', '2027-12-28', 'Boxing Day');

INSERT INTO holidays (set_id, day, title) VALUES
	('gb-sct', '2024-01-01', 'New Year’s Day'),
	('gb-sct', '2024-01-02', '2nd January'),
	('gb-sct', '2024-03-29', 'Good Friday'),
	('gb-sct', '2024-05-06', 'Early May bank holiday'),
	('gb-sct', '2024-05-27', 'Spring bank holiday'),
	('gb-sct', '2024-08-05', 'Summer bank holiday'),
	('gb-sct', '2024-12-02', 'St Andrew’s Day'),
	('gb-sct', '2024-12-25', 'Christmas Day'),
	('gb-sct', '2024-12-26', 'Boxing Day'),
	('gb-sct', '2025-01-01', 'New Year’s Day'),
	('gb-sct', '2025-01-02', '2nd January'),
	('gb-sct', '2025-04-18', 'Good Friday'),
	('gb-sct', '2025-05-05', 'Early May bank holiday'),
	('gb-sct', '2025-05-26', 'Spring bank holiday'),
	('gb-sct', '2025-08-04', 'Summer bank holiday'),
	('gb-sct', '2025-12-01', 'St Andrew’s Day'),
	('gb-sct', '2025-12-25', 'Christmas Day'),
	('gb-sct', '2025-12-26', 'Boxing Day'),
	('gb-sct', '2026-01-01', 'New Year’s Day'),
	('gb-sct', '2026-01-02', '2nd January'),
	('gb-sct', '2026-04-03', 'Good Friday'),
	('gb-sct', '2026-05-04', 'Early May bank holiday'),
	('gb-sct', '2026-05-25', 'Spring bank holiday'),
	('gb-sct', '2026-08-03', 'Summer bank holiday'),
	('gb-sct', '2026-11-30', 'St Andrew’s Day'),
	('gb-sct', '2026-12-25', 'Christmas Day'),
	('gb-sct', '2026-12-28', 'Boxing Day'),
	('gb-sct', '2027-01-01', 'New Year’s Day'),
	('gb-sct', '2027-01-04', '2nd January'),
	('gb-sct', '2027-03-26', 'Good Friday'),
	('gb-sct', '2027-05-03', 'Early May bank holiday'),
	('gb-sct', '2027-05-31', 'Spring bank holiday'),
	('gb-sct', '2027-08-02', 'Summer bank holiday'),
	('gb-sct', '2027-11-30', 'St Andrew’s Day'),
	('gb-sct', '2027-12-27', 'Christmas Day'),
	('gb-sct', '2027-12-28', 'Boxing Day');

INSERT INTO holidays (set_id, day, title) VALUES
	('gb-ni', '2024-01-01', 'New Year’s Day'),
	('gb-ni', '2024-03-18', 'St Patrick’s Day'),
	('gb-ni', '2024-03-29', 'Good Friday'),
	('gb-ni', '2024-04-01', 'Easter Monday'),
	('gb-ni', '2024-05-06', 'Early May bank holiday'),
	('gb-ni', '2024-05-27', 'Spring bank holiday'),
	('gb-ni', '2024-07-12', 'Battle of the Boyne (Orangemen’s Day)'),
	('gb-ni', '2024-08-26', 'Summer bank holiday'),
	('gb-ni', '2024-12-25', 'Christmas Day'),
	('gb-ni', '2024-12-26', 'Boxing Day'),
	('gb-ni', '2025-01-01', 'New Year’s Day'),
	('gb-ni', '2025-03-17', 'St Patrick’s Day'),
	('gb-ni', '2025-04-18', 'Good Friday'),
	('gb-ni', '2025-04-21', 'Easter Monday'),
	('gb-ni', '2025-05-05', 'Early May bank holiday'),
	('gb-ni', '2025-05-26', 'Spring bank holiday'),
	('gb-ni', '2025-07-14', 'Battle of the Boyne (Orangemen’s Day)'),
	('gb-ni', '2025-08-25', 'Summer bank holiday'),
	('gb-ni', '2025-12-25', 'Christmas Day'),
	('gb-ni', '2025-12-26', 'Boxing Day'),
	('gb-ni', '2026-01-01', 'New Year’s Day'),
	('gb-ni', '2026-03-17', 'St Patrick’s Day'),
	('gb-ni', '2026-04-03', 'Good Friday'),
	('gb-ni', '2026-04-06', 'Easter Monday'),
	('gb-ni', '2026-05-04', 'Early May bank holiday'),
	('gb-ni', '2026-05-25', 'Spring bank holiday'),
	('gb-ni', '2026-07-13', 'Battle of the Boyne (Orangemen’s Day)'),
	('gb-ni', '2026-08-31', 'Summer bank holiday'),
	('gb-ni', '2026-12-25', 'Christmas Day'),
	('gb-ni', '2026-12-28', 'Boxing Day'),
	('gb-ni', '2027-01-01', 'New Year’s Day'),
	('gb-ni', '2027-03-17', 'St Patrick’s Day'),
	('gb-ni', '2027-03-26', 'Good Friday'),
	('gb-ni', '2027-03-29', 'Easter Monday'),
	('gb-ni', '2027-05-03', 'Early May bank holiday'),
	('gb-ni', '2027-05-31', 'Spring bank holiday'),
	('gb-ni', '2027-07-12', 'Battle of the Boyne (Orangemen’s Day)'),
	('gb-ni', '2027-08-30', 'Summer bank holiday'),
	('gb-ni', '2027-12-27', 'Christmas Day'),
	('gb-ni', '2027-12-28', 'Boxing Day');

-- Brazil: national holidays (feriados nacionais) only.  Pontos
-- facultativos (Carnaval, Ash Wednesday, Corpus Christi, ...) are not
-- legal holidays and are left out; 2027 is computed, not yet published.
-- updated_at 1767225600: 2026-01-01, the reference snapshot's year.
INSERT INTO holiday_sets (id, name, source, updated_at) VALUES
	('br', 'Brazil national holidays',
	 '2025: Portaria MGI (DOU 30 Dec 2024) as reported: https://jd1noticias.com/brasil/veja-os-feriados-nacionais-e-os-pontos-facultativos-em-2025/147554; 2026: Portaria MGI (DOU 30 Dec 2025) as reported: https://www.rosaliearruda.com/2025/12/governo-federal-divulga-feriados-e.html ; https://oparana.com.br/...; 2027: COMPUTED (portaria not yet published): fixed dates from Lei 662/1949 (as amended by Lei 10.607/2002), Lei 6.802/1980 (12 Oct), Lei 14.759/2023 (20 Nov: ''Fica declarado feriado nacional o dia 20 de novembro''), Good Friday = Easter-2 (Easter 2027-03-28); status: 2025 verified_secondary (news reproducing the MGI portaria list), 2026 verified_secondary, 2027 computed/unverified',
	 1767225600);
INSERT INTO holidays (set_id, day, title) VALUES
	('br', '2025-01-01', 'Confraternização Universal'),
	('br', '2025-04-18', 'Paixão de Cristo (Sexta-feira Santa)'),
	('br', '2025-04-21', 'Tiradentes'),
	('br', '2025-05-01', 'Dia Mundial do Trabalho'),
	('br', '2025-09-07', 'Independência do Brasil'),
	('br', '2025-10-12', 'Nossa Senhora Aparecida'),
	('br', '2025-11-02', 'Finados'),
	('br', '2025-11-15', 'Proclamação da República'),
	('br', '2025-11-20', 'Dia Nacional de Zumbi e da Consciência Negra'),
	('br', '2025-12-25', 'Natal'),
	('br', '2026-01-01', 'Confraternização Universal'),
	('br', '2026-04-03', 'Paixão de Cristo (Sexta-feira Santa)'),
	('br', '2026-04-21', 'Tiradentes'),
	('br', '2026-05-01', 'Dia Mundial do Trabalho'),
	('br', '2026-09-07', 'Independência do Brasil'),
	('br', '2026-10-12', 'Nossa Senhora Aparecida'),
	('br', '2026-11-02', 'Finados'),
	('br', '2026-11-15', 'Proclamação da República'),
	('br', '2026-11-20', 'Dia Nacional de Zumbi e da Consciência Negra'),
	('br', '2026-12-25', 'Natal'),
	('br', '2027-01-01', 'Confraternização Universal'),
	('br', '2027-03-26', 'Paixão de Cristo (Sexta-feira Santa)'),
	('br', '2027-04-21', 'Tiradentes'),
	('br', '2027-05-01', 'Dia Mundial do Trabalho'),
	('br', '2027-09-07', 'Independência do Brasil'),
	('br', '2027-10-12', 'Nossa Senhora Aparecida'),
	('br', '2027-11-02', 'Finados'),
	('br', '2027-11-15', 'Proclamação da República'),
	('br', '2027-11-20', 'Dia Nacional de Zumbi e da Consciência Negra'),
	('br', '2027-12-25', 'Natal');

-- United States: federal legal public holidays, on the day observed
-- (Saturday -> Friday before, Sunday -> Monday after; New Year's Day
-- 2028 is observed on Friday 2027-12-31).
INSERT INTO holiday_sets (id, name, source, updated_at) VALUES
	('us', 'US federal holidays',
	 '5 U.S.C. 6103(a) (legal public holidays) and Executive Order 11582 / OPM rule for in-lieu days (Saturday -> preceding Friday, Sunday -> following Monday); computed from those rules; computed from the statute''s rules; note New Year''s Day falling on a Saturday is observed on the preceding Friday, 31 December of the prior year (e.g. 2027-12-31 for 2028-01-01)',
	 1767225600);
INSERT INTO holidays (set_id, day, title) VALUES
	('us', '2024-01-01', 'New Year''s Day'),
	('us', '2024-01-15', 'Birthday of Martin Luther King, Jr.'),
	('us', '2024-02-19', 'Washington''s Birthday'),
	('us', '2024-05-27', 'Memorial Day'),
	('us', '2024-06-19', 'Juneteenth National Independence Day'),
	('us', '2024-07-04', 'Independence Day'),
	('us', '2024-09-02', 'Labor Day'),
	('us', '2024-10-14', 'Columbus Day'),
	('us', '2024-11-11', 'Veterans Day'),
	('us', '2024-11-28', 'Thanksgiving Day'),
	('us', '2024-12-25', 'Christmas Day'),
	('us', '2025-01-01', 'New Year''s Day'),
	('us', '2025-01-20', 'Birthday of Martin Luther King, Jr.'),
	('us', '2025-02-17', 'Washington''s Birthday'),
	('us', '2025-05-26', 'Memorial Day'),
	('us', '2025-06-19', 'Juneteenth National Independence Day'),
	('us', '2025-07-04', 'Independence Day'),
	('us', '2025-09-01', 'Labor Day'),
	('us', '2025-10-13', 'Columbus Day'),
	('us', '2025-11-11', 'Veterans Day'),
	('us', '2025-11-27', 'Thanksgiving Day'),
	('us', '2025-12-25', 'Christmas Day'),
	('us', '2026-01-01', 'New Year''s Day'),
	('us', '2026-01-19', 'Birthday of Martin Luther King, Jr.'),
	('us', '2026-02-16', 'Washington''s Birthday'),
	('us', '2026-05-25', 'Memorial Day'),
	('us', '2026-06-19', 'Juneteenth National Independence Day'),
	('us', '2026-07-03', 'Independence Day'),
	('us', '2026-09-07', 'Labor Day'),
	('us', '2026-10-12', 'Columbus Day'),
	('us', '2026-11-11', 'Veterans Day'),
	('us', '2026-11-26', 'Thanksgiving Day'),
	('us', '2026-12-25', 'Christmas Day'),
	('us', '2027-01-01', 'New Year''s Day'),
	('us', '2027-01-18', 'Birthday of Martin Luther King, Jr.'),
	('us', '2027-02-15', 'Washington''s Birthday'),
	('us', '2027-05-31', 'Memorial Day'),
	('us', '2027-06-18', 'Juneteenth National Independence Day'),
	('us', '2027-07-05', 'Independence Day'),
	('us', '2027-09-06', 'Labor Day'),
	('us', '2027-10-11', 'Columbus Day'),
	('us', '2027-11-11', 'Veterans Day'),
	('us', '2027-11-25', 'Thanksgiving Day'),
	('us', '2027-12-24', 'Christmas Day'),
	('us', '2027-12-31', 'New Year''s Day'),
	('us', '2028-01-17', 'Birthday of Martin Luther King, Jr.'),
	('us', '2028-02-21', 'Washington''s Birthday'),
	('us', '2028-05-29', 'Memorial Day'),
	('us', '2028-06-19', 'Juneteenth National Independence Day'),
	('us', '2028-07-04', 'Independence Day'),
	('us', '2028-09-04', 'Labor Day'),
	('us', '2028-10-09', 'Columbus Day'),
	('us', '2028-11-10', 'Veterans Day'),
	('us', '2028-11-23', 'Thanksgiving Day'),
	('us', '2028-12-25', 'Christmas Day');
