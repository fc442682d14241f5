-- 002_regimes: regime rules as data (issue 3).  Each regime carries the
-- JSON rule the deadline engine reads (see regime-rule spec: applies,
-- effective_from/_to, calendar, phases), its verification status, and
-- notes on where the rule approximates the law.  Texts and statuses come
-- from shared/reference/regimes.json; sql/regimes_check.py validates the
-- rules.

ALTER TABLE regimes ADD COLUMN rule TEXT NOT NULL DEFAULT '{}';
	-- the rule as JSON text (applies, effective dates, calendar, phases)
ALTER TABLE regimes ADD COLUMN status TEXT NOT NULL DEFAULT 'verified';
	-- verified | verified_secondary | partially_verified | unverified
ALTER TABLE regimes ADD COLUMN notes TEXT NOT NULL DEFAULT '';
	-- caveats: where the rule is an approximation
ALTER TABLE regimes ADD COLUMN retired_at INTEGER;
	-- when it stopped being applied; NULL: in force in breachclock
ALTER TABLE regimes ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
	-- when the row was last changed by an admin; 0: as shipped

-- The three UK GDPR regimes of 001_init.

UPDATE regimes SET
	rule = '{"applies": {"jurisdictions": ["GB"], "role": "controller", "min_risk": "risk"}, "calendar": {"tz": "Europe/London", "holidays": "gb-eaw"}, "phases": [{"id": "notification", "name": "Notification to the ICO", "start": "aware_at", "duration": 72, "unit": "hours"}]}',
	status = 'verified',
	notes = 'Art. 33(4) information in phases has no fixed period: record it as follow-up notices.'
WHERE id = 'uk_gdpr_art33_ico';

UPDATE regimes SET
	rule = '{"applies": {"jurisdictions": ["GB"], "role": "controller", "min_risk": "high"}, "calendar": {"tz": "Europe/London", "holidays": "gb-eaw"}, "phases": [{"id": "notification", "name": "Communication to the data subjects", "start": "decision", "unit": "none"}]}',
	status = 'verified_secondary',
	notes = '''Without undue delay'': no fixed period; the deadline is the server''s --art34-target-hours target. Art. 34(3) exemptions (e.g. encryption) are for the DPO to record as a waiver.'
WHERE id = 'uk_gdpr_art34_individuals';

UPDATE regimes SET
	rule = '{"applies": {"jurisdictions": ["GB"], "role": "processor"}, "calendar": {"tz": "Europe/London", "holidays": "gb-eaw"}, "phases": [{"id": "notification", "name": "Notification to the controller", "start": "aware_at", "unit": "none", "target_hours": "controller_notice_hours"}]}',
	status = 'verified',
	notes = '''Without undue delay'': no fixed period; the deadline is the notice period in the processor contract recorded on the incident.'
WHERE id = 'uk_gdpr_art33_2_processor';

-- The other regimes of shared/reference/regimes.json, in its order.

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'eu_gdpr_art33_sa',
	'EU GDPR - notification to competent / lead supervisory authority',
	'EU/EEA',
	'GDPR (EU) 2016/679 Art. 33(1),(3)-(5); competence Art. 55/56 (lead SA for cross-border processing, one-stop-shop)',
	'regulator',
	'competent SA (Art 55); lead supervisory authority (Art 56) where cross-border processing',
	'controller becomes aware',
	'without undue delay and, where feasible, not later than 72 hours; reasons for delay if later',
	'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016R0679',
	'{"applies": {"jurisdictions": ["EEA"], "role": "controller", "min_risk": "risk"}, "calendar": {"tz": "Europe/Brussels", "holidays": null}, "phases": [{"id": "notification", "name": "Notification to the supervisory authority", "start": "aware_at", "duration": 72, "unit": "hours"}]}',
	'verified',
	'Art. 33(4) information in phases has no fixed period: record it as follow-up notices.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'eu_gdpr_art34_ds',
	'EU GDPR - communication to data subjects',
	'EU/EEA',
	'GDPR Art. 34',
	'individuals',
	'affected data subjects',
	'awareness / high-risk assessment',
	'without undue delay',
	'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016R0679',
	'{"applies": {"jurisdictions": ["EEA"], "role": "controller", "min_risk": "high"}, "calendar": {"tz": "Europe/Brussels", "holidays": null}, "phases": [{"id": "notification", "name": "Communication to the data subjects", "start": "decision", "unit": "none"}]}',
	'verified',
	'''Without undue delay'': no fixed period; the deadline is the server''s --art34-target-hours target. Art. 34(3) exemptions (e.g. encryption) are for the DPO to record as a waiver.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'eu_gdpr_art33_2_processor',
	'EU GDPR - processor to controller',
	'EU/EEA',
	'GDPR Art. 33(2)',
	'controller',
	'controller',
	'processor becomes aware',
	'without undue delay',
	'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016R0679',
	'{"applies": {"jurisdictions": ["EEA"], "role": "processor"}, "calendar": {"tz": "Europe/Brussels", "holidays": null}, "phases": [{"id": "notification", "name": "Notification to the controller", "start": "aware_at", "unit": "none", "target_hours": "controller_notice_hours"}]}',
	'verified',
	'''Without undue delay'': no fixed period; the deadline is the notice period in the processor contract recorded on the incident.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'uk_pecr_reg5a_ico_pre_duaa',
	'PECR reg 5A - service provider breach notification to ICO (regime until 19 Aug 2025)',
	'UK',
	'PECR 2003 (SI 2003/2426) reg 5A(2); Commission Reg (EU) 611/2013 Art 2 (as retained)',
	'regulator',
	'ICO',
	'becoming aware of / detection of the essential facts of the breach',
	'within 24 hours (where feasible); initial + follow-up notification under Reg 611/2013',
	'https://ico.org.uk/for-organisations/guide-to-pecr/communications-networks-and-services/security-breaches/',
	'{"applies": {"jurisdictions": ["GB"], "sectors_any": ["pecr_provider"]}, "effective_to": "2025-08-19", "calendar": {"tz": "Europe/London", "holidays": "gb-eaw"}, "phases": [{"id": "notification", "name": "Notification to the ICO", "start": "aware_at", "duration": 24, "unit": "hours"}]}',
	'verified',
	'Reg 611/2013 Art 2(3) second notification (within 3 days, only if the initial one was incomplete; unverified) is not a separate phase. Notice to subscribers/users is not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'uk_pecr_reg5a_ico',
	'PECR reg 5A - service provider breach notification to ICO (from 20 Aug 2025)',
	'UK',
	'PECR reg 5A(2) as amended by Data (Use and Access) Act 2025 s.111; commenced 20 Aug 2025 by SI 2025/904 reg 2(p)',
	'regulator',
	'ICO',
	'service provider becomes aware of the breach',
	'without undue delay and, where feasible, not later than 72 hours after having become aware; reasons for delay if later (new reg 5A(3A))',
	'https://www.legislation.gov.uk/uksi/2025/904/regulation/2',
	'{"applies": {"jurisdictions": ["GB"], "sectors_any": ["pecr_provider"]}, "effective_from": "2025-08-20", "calendar": {"tz": "Europe/London", "holidays": "gb-eaw"}, "phases": [{"id": "notification", "name": "Notification to the ICO", "start": "aware_at", "duration": 72, "unit": "hours"}]}',
	'verified',
	'Notice to subscribers/users is not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'uk_nis_reg11_oes',
	'NIS Regulations 2018 - OES incident notification',
	'UK',
	'SI 2018/506 reg 11(1)-(3)',
	'regulator',
	'designated competent authority for the OES',
	'OES is aware that a NIS incident has occurred',
	'without undue delay and in any event no later than 72 hours after the OES is aware',
	'https://www.legislation.gov.uk/uksi/2018/506/regulation/11',
	'{"applies": {"jurisdictions": ["GB"], "sectors_any": ["nis_entity"]}, "calendar": {"tz": "Europe/London", "holidays": "gb-eaw"}, "phases": [{"id": "notification", "name": "Notification to the NIS competent authority", "start": "aware_at", "duration": 72, "unit": "hours"}]}',
	'partially_verified',
	'Applies to every incident of a nis_entity: the ''significant impact on continuity'' test is for the handler (waive if not met). RDSP reg 12 (ICO, 72 h) is not a separate regime.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'uk_eidas_art19_2',
	'UK eIDAS - trust service provider breach',
	'UK',
	'UK eIDAS (retained Reg 910/2014) Art. 19(2)',
	'regulator',
	'ICO (supervisory body); affected natural/legal persons without undue delay',
	'TSP becomes aware of breach of security or loss of integrity',
	'without undue delay but in any event within 24 hours after having become aware',
	'https://ico.org.uk/for-organisations/guide-to-eidas/breach-reporting',
	'{"applies": {"jurisdictions": ["GB"], "sectors_any": ["trust_service_provider"]}, "calendar": {"tz": "Europe/London", "holidays": "gb-eaw"}, "phases": [{"id": "notification", "name": "Notification to the ICO", "start": "aware_at", "duration": 24, "unit": "hours"}, {"id": "individuals", "name": "Notification to affected persons", "start": "aware_at", "unit": "none", "target_hours": 72, "required_when": {"min_risk": "risk"}}]}',
	'verified',
	'''Significant impact'' test is for the handler (waive if not met). Notice to affected persons is ''without undue delay'': 72 h organisation target, required unless the risk decision is ''unlikely''. Possible DUAA 2025 changes to Art 19(2) not checked.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'eu_nis2_art23',
	'NIS2 significant incident reporting',
	'EU',
	'Directive (EU) 2022/2555 Art. 23(1)-(4) (national transposition applies)',
	'regulator',
	'CSIRT or competent authority; recipients of services ''without undue delay'' where applicable (23(1)-(2))',
	'entity becomes aware of the significant incident',
	'multi-phase',
	'https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
	'{"applies": {"jurisdictions": ["EU"], "sectors_any": ["nis2_entity"]}, "calendar": {"tz": "Europe/Brussels", "holidays": null}, "phases": [{"id": "early_warning", "name": "Early warning to the CSIRT / competent authority", "start": "aware_at", "duration": 24, "unit": "hours"}, {"id": "notification", "name": "Incident notification to the CSIRT / competent authority", "start": "aware_at", "duration": 72, "unit": "hours"}, {"id": "final", "name": "Final report (progress report if the incident is still ongoing)", "start": "phase:notification", "duration": 1, "unit": "months"}]}',
	'verified_secondary',
	'Significance test (Art 23(3)) is for the handler. Intermediate report only on request: not a phase. If the incident is ongoing, a progress report is due at the ''final'' deadline and the final report 1 month after handling ends: that second date is not computed. National transpositions may differ; notice to service recipients not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'eu_dora_art19',
	'DORA major ICT-related incident reporting',
	'EU',
	'Reg (EU) 2022/2554 Art. 19(4); Commission Delegated Reg (EU) 2025/301 Art. 5; ITS (EU) 2025/302',
	'regulator',
	'financial entity''s competent authority',
	'classification of the ICT-related incident as major (initial) AND awareness of the incident (24h cap)',
	'multi-phase',
	'https://eur-lex.europa.eu/eli/reg_del/2025/301/oj',
	'{"applies": {"jurisdictions": ["EU"], "sectors_any": ["dora_financial_entity"], "determination": "dora_major"}, "calendar": {"tz": "Europe/Brussels", "holidays": null}, "phases": [{"id": "initial", "name": "Initial notification to the competent authority", "start": "determination", "duration": 4, "unit": "hours", "cap": {"start": "aware_at", "duration": 24, "unit": "hours"}}, {"id": "intermediate", "name": "Intermediate report", "start": "phase:initial", "duration": 72, "unit": "hours"}, {"id": "final", "name": "Final report", "start": "phase:intermediate", "duration": 1, "unit": "months"}]}',
	'verified',
	'Weekend/holiday relief (RTS 2025/301 Art 5(4), noon next working day, some entities only) not applied. Late-classification rule (4 h from classification when classified after 24 h; draft RTS, unverified) not applied: the 24 h cap governs. Final report counts from the first intermediate report, not from later updated ones; updated intermediate reports have no fixed period.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_hipaa_164_404_individuals',
	'HIPAA breach notice to individuals',
	'US (federal)',
	'45 CFR 164.404(a)-(b)',
	'individuals',
	'each affected individual',
	'discovery: first day breach is known, or by exercising reasonable diligence would have been known, to any workforce member/agent (164.404(a)(2); 164.410(a)(2))',
	'without unreasonable delay and in no case later than 60 calendar days (outer limit)',
	'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D/section-164.404',
	'{"applies": {"jurisdictions": ["US"], "sectors_any": ["hipaa_covered_entity"], "min_risk": "risk", "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to each affected individual", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}]}',
	'verified',
	'Law-enforcement delay (164.412) not modelled. Encryption with the key safe = secured PHI (no breach notice). min_risk ''risk'': a breach is presumed unless the 164.402 assessment finds a low probability of compromise.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_hipaa_164_406_media',
	'HIPAA media notice',
	'US (federal)',
	'45 CFR 164.406',
	'media',
	'prominent media outlets serving the State or jurisdiction',
	'discovery: first day breach is known, or by exercising reasonable diligence would have been known, to any workforce member/agent (164.404(a)(2); 164.410(a)(2))',
	'without unreasonable delay and in no case later than 60 calendar days (outer limit)',
	'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D/section-164.406',
	'{"applies": {"jurisdictions": ["US"], "sectors_any": ["hipaa_covered_entity"], "min_risk": "risk", "encryption_safe_harbor": true, "subjects_min": 501, "count_in": "jurisdiction"}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to prominent media outlets", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}]}',
	'verified',
	'Law-enforcement delay (164.412) not modelled. Encryption with the key safe = secured PHI (no breach notice).');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_hipaa_164_408b_hhs_500plus',
	'HIPAA notice to HHS Secretary - 500 or more',
	'US (federal)',
	'45 CFR 164.408(b)',
	'regulator',
	'HHS (OCR) via HHS web portal',
	'discovery: first day breach is known, or by exercising reasonable diligence would have been known, to any workforce member/agent (164.404(a)(2); 164.410(a)(2))',
	'without unreasonable delay and in no case later than 60 calendar days (outer limit)',
	'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D/section-164.408',
	'{"applies": {"jurisdictions": ["US"], "sectors_any": ["hipaa_covered_entity"], "min_risk": "risk", "encryption_safe_harbor": true, "subjects_min": 500, "count_in": "total"}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to the HHS Secretary (OCR portal)", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}]}',
	'verified',
	'Law-enforcement delay (164.412) not modelled. Encryption with the key safe = secured PHI (no breach notice). The rule says ''contemporaneously'' with the individual notice; 60 days is the outer limit.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_hipaa_164_410_ba',
	'HIPAA business associate to covered entity',
	'US (federal)',
	'45 CFR 164.410',
	'controller',
	'covered entity',
	'discovery: first day breach is known, or by exercising reasonable diligence would have been known, to any workforce member/agent (164.404(a)(2); 164.410(a)(2))',
	'without unreasonable delay and in no case later than 60 calendar days (outer limit)',
	'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D/section-164.410',
	'{"applies": {"jurisdictions": ["US"], "sectors_any": ["hipaa_business_associate"], "min_risk": "risk", "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to the covered entity", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}]}',
	'verified',
	'Law-enforcement delay (164.412) not modelled. Encryption with the key safe = secured PHI (no breach notice). A shorter period in the business associate agreement is not applied.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_hipaa_164_408c_hhs_under500',
	'HIPAA notice to HHS Secretary - fewer than 500 (annual log)',
	'US (federal)',
	'45 CFR 164.408(c)',
	'regulator',
	'HHS (OCR) web portal',
	'end of the calendar year in which the breach was DISCOVERED',
	'not later than 60 days after the end of each calendar year (i.e. by 1 March, or 29 Feb in leap years) for breaches discovered during the preceding calendar year',
	'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D/section-164.408',
	'{"applies": {"jurisdictions": ["US"], "sectors_any": ["hipaa_covered_entity"], "min_risk": "risk", "encryption_safe_harbor": true, "subjects_below": 500, "count_in": "total"}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Annual notice to the HHS Secretary (OCR portal)", "start": "year_end:discovered_at", "duration": 60, "unit": "calendar_days"}]}',
	'verified',
	'Law-enforcement delay (164.412) not modelled. Encryption with the key safe = secured PHI (no breach notice).');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_sec_8k_item105',
	'SEC Form 8-K Item 1.05 material cybersecurity incident',
	'US (federal)',
	'Form 8-K Item 1.05 & General Instruction B.1 (Release 33-11216, July 26 2023); Reg S-K Item 106',
	'other',
	'public disclosure filed with SEC (investors)',
	'registrant determines the incident is material (determination to be made without unreasonable delay after discovery)',
	'within four business days after the materiality determination',
	'https://www.sec.gov/rules/final/2023/33-11216.pdf',
	'{"applies": {"sectors_any": ["sec_registrant"], "determination": "sec_material"}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Form 8-K Item 1.05 filing", "start": "determination", "duration": 4, "unit": "business_days"}]}',
	'verified_secondary',
	'No jurisdiction condition: applies to a registrant wherever those affected live. 8-K/A amendments (4 business days after information becomes available) and the Attorney General delay are not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_circia_proposed',
	'CIRCIA covered cyber incident & ransom payment reports (PROPOSED rule, not in force)',
	'US (federal)',
	'6 U.S.C. 681b; CISA NPRM 89 FR (4 Apr 2024), proposed 6 CFR Part 226',
	'regulator',
	'CISA',
	'covered entity reasonably believes a covered cyber incident occurred (incident); ransom payment disbursed (payment)',
	'multi-report',
	'https://www.federalregister.gov/documents/2024/04/04/2024-06526/cyber-incident-reporting-for-critical-infrastructure-act-circia-reporting-requirements',
	'{"applies": {"jurisdictions": ["US"], "sectors_any": ["circia_covered_entity"]}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Covered cyber incident report to CISA", "start": "aware_at", "duration": 72, "unit": "hours"}]}',
	'verified_secondary',
	'PROPOSED rule (NPRM April 2024), not in force: applies only when circia_covered_entity is set. Clock runs from awareness as a proxy for ''reasonable belief''. Ransom payment report (24 h from payment) and supplemental reports not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_ftc_safeguards_314_4j',
	'FTC Safeguards Rule notification event',
	'US (federal)',
	'16 CFR 314.4(j) (eff. 13 May 2024)',
	'regulator',
	'Federal Trade Commission',
	'discovery of the notification event',
	'as soon as possible, and no later than 30 days after discovery',
	'https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-314/section-314.4',
	'{"applies": {"jurisdictions": ["US"], "sectors_any": ["ftc_financial_institution"], "subjects_min": 500, "count_in": "total", "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notification to the FTC", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}]}',
	'verified_secondary',
	'');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_ny_dfs_500_17',
	'NYDFS Part 500 cybersecurity incident notice',
	'US-NY',
	'23 NYCRR 500.17(a)',
	'regulator',
	'NY Department of Financial Services (covered entities)',
	'determination that a cybersecurity incident has occurred',
	'as promptly as possible but in no event later than 72 hours',
	'https://www.dfs.ny.gov/industry_guidance/cybersecurity',
	'{"applies": {"sectors_any": ["ny_dfs_covered_entity"], "determination": "ny_dfs_reportable"}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Cybersecurity incident notice to NY DFS", "start": "determination", "duration": 72, "unit": "hours"}]}',
	'partially_verified',
	'No jurisdiction condition: applies to a DFS covered entity wherever those affected live. Extortion payment notice (24 h) and written explanation (30 days) run from the payment, which is not recorded: not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_co_breach',
	'Colorado data breach notification',
	'US-CO',
	'C.R.S. 6-1-716(2)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General if >=500 Colorado residents, not later than 30 days after determination (6-1-716(2)(f))',
	'date of determination that a security breach occurred',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://leg.colorado.gov/ (C.R.S. 6-1-716)',
	'{"applies": {"jurisdictions": ["US-CO"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Denver", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 30, "unit": "calendar_days", "required_when": {"subjects_min": 500, "count_in": "jurisdiction"}}]}',
	'verified',
	'Statute counts from the determination of the breach; counted from discovery (conservative). AG notice (500+ Colorado residents, 30 days) from memory, unverified.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_fl_breach',
	'Florida data breach notification',
	'US-FL',
	'Fla. Stat. 501.171(3),(4),(6)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Department of Legal Affairs if >=500 Florida individuals, no later than 30 days after determination; third-party agent -> covered entity within 10 days',
	'determination of the breach or reason to believe a breach occurred',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'http://www.leg.state.fl.us/statutes/index.cfm?App_mode=Display_Statute&URL=0500-0599/0501/Sections/0501.171.html',
	'{"applies": {"jurisdictions": ["US-FL"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 30, "unit": "calendar_days", "required_when": {"role": "controller"}}, {"id": "attorney_general", "name": "Notice to the Department of Legal Affairs", "start": "discovered_at", "duration": 30, "unit": "calendar_days", "required_when": {"role": "controller", "subjects_min": 500, "count_in": "jurisdiction"}}, {"id": "covered_entity", "name": "Third-party agent notice to the covered entity", "start": "discovered_at", "duration": 10, "unit": "calendar_days", "required_when": {"role": "processor"}}]}',
	'verified_secondary',
	'Statute counts from the determination of the breach; counted from discovery (conservative). Up to 15 more days for good cause shown to the Department: not applied. Eastern zone used (the panhandle is Central; Eastern is earlier).');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_wa_breach',
	'Washington data breach notification',
	'US-WA',
	'RCW 19.255.010(7)-(8)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General if >500 Washington residents, no more than 30 days after discovery',
	'breach was discovered',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://app.leg.wa.gov/RCW/default.aspx?cite=19.255.010',
	'{"applies": {"jurisdictions": ["US-WA"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Los_Angeles", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 30, "unit": "calendar_days", "required_when": {"subjects_min": 501, "count_in": "jurisdiction"}}]}',
	'verified_secondary',
	'');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_me_breach',
	'Maine data breach notification',
	'US-ME',
	'10 M.R.S. 1348(1),(3),(5)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General (or DPFR regulator) when residents are notified - no minimum count; CRAs if >1,000',
	'person becomes aware of a breach of security AND identifies its scope',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://legislature.maine.gov/statutes/10/title10sec1348.html',
	'{"applies": {"jurisdictions": ["US-ME"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General (or DPFR regulator)", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}]}',
	'verified',
	'Statute starts the clock on awareness AND scope identification; counted from discovery (conservative). AG notice is due with the resident notice: given the same outer limit. CRA notice (>1,000) and law-enforcement delay not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_tx_breach',
	'Texas data breach notification',
	'US-TX',
	'Tex. Bus. & Com. Code 521.053(b),(i)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General if >=250 Texas residents, not later than 30 days after determination (S.B. 768, eff. 1 Sep 2023)',
	'date the person determines that the breach occurred',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://statutes.capitol.texas.gov/Docs/BC/htm/BC.521.htm',
	'{"applies": {"jurisdictions": ["US-TX"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Chicago", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 30, "unit": "calendar_days", "required_when": {"subjects_min": 250, "count_in": "jurisdiction"}}]}',
	'verified',
	'Statute counts from the determination of the breach; counted from discovery (conservative).');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_vt_breach',
	'Vermont data breach notification',
	'US-VT',
	'9 V.S.A. 2435(b)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General (or DFR for regulated entities): PRELIMINARY notice within 14 BUSINESS days of discovery or when consumers are notified, whichever is sooner',
	'discovery or notification of the breach',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://legislature.vermont.gov/statutes/section/09/062/02435',
	'{"applies": {"jurisdictions": ["US-VT"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'verified_secondary',
	'The AG preliminary notice is regime us_vt_ag_preliminary.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_vt_ag_preliminary',
	'Vermont AG preliminary notice',
	'US-VT',
	'9 V.S.A. 2435(b)(3)',
	'regulator',
	'Vermont Attorney General or Dept of Financial Regulation',
	'discovery of the security breach (or consumer notice, whichever sooner)',
	'within 14 business days',
	'https://legislature.vermont.gov/statutes/section/09/062/02435',
	'{"applies": {"jurisdictions": ["US-VT"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Preliminary notice to the Attorney General (or DFR)", "start": "discovered_at", "duration": 14, "unit": "business_days"}]}',
	'verified_secondary',
	'''Or when consumers are notified, if sooner'' (that is regime us_vt_breach) is not computed: send it no later than the consumer notice. Vermont state holidays not in the ''us'' set.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_ny_breach',
	'New York data breach notification',
	'US-NY',
	'N.Y. Gen. Bus. Law 899-aa(2) (as amended S2659B, eff. 21 Dec 2024)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG, Department of State, Division of State Police (+ DFS for DFS covered entities per S.804, 2025) - notice of timing/content/distribution',
	'breach has been discovered',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://www.nysenate.gov/legislation/laws/GBS/899-AA',
	'{"applies": {"jurisdictions": ["US-NY"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the AG, Department of State and State Police", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}]}',
	'verified_secondary',
	'Regulator notice (timing, content, distribution) has no own period: given the resident deadline. DFS notice under S.804 (2025) not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_ca_breach',
	'California data breach notification',
	'US-CA',
	'Cal. Civ. Code 1798.82(a),(f) (SB 446, eff. 1 Jan 2026)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General (sample copy) if >500 California residents, within 15 calendar days of notifying affected consumers',
	'discovery or notification of the data breach',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?sectionNum=1798.82.&lawCode=CIV',
	'{"applies": {"jurisdictions": ["US-CA"], "encryption_safe_harbor": true}, "effective_from": "2026-01-01", "calendar": {"tz": "America/Los_Angeles", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Sample copy to the Attorney General", "start": "phase:notification", "duration": 15, "unit": "calendar_days", "required_when": {"subjects_min": 501, "count_in": "jurisdiction"}}]}',
	'verified_secondary',
	'30-day limit from 1 Jan 2026 (SB 446); earlier breaches: us_ca_breach_pre2026. Law-enforcement delay not modelled.');

-- Not in regimes.json: the California rule before SB 446, from the
-- notes of us_ca_breach there.

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_ca_breach_pre2026',
	'California data breach notification (breaches before 1 Jan 2026)',
	'US-CA',
	'Cal. Civ. Code 1798.82(a) (before SB 446)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General (sample copy) if >500 California residents',
	'discovery or notification of the data breach',
	'in the most expedient time possible and without unreasonable delay (no fixed period)',
	'https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?sectionNum=1798.82.&lawCode=CIV',
	'{"applies": {"jurisdictions": ["US-CA"], "encryption_safe_harbor": true}, "effective_to": "2025-12-31", "calendar": {"tz": "America/Los_Angeles", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "unit": "none", "target_hours": 720}]}',
	'verified_secondary',
	'Before SB 446 the law gave no fixed period (''most expedient time possible and without unreasonable delay''): 720 h (30 days) organisation target. AG sample copy (>500 residents, no fixed period) not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_ct_breach',
	'Connecticut data breach notification',
	'US-CT',
	'Conn. Gen. Stat. 36a-701b(b)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General not later than notice to residents',
	'discovery of the breach',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://www.cga.ct.gov/current/pub/chap_669.htm#sec_36a-701b',
	'{"applies": {"jurisdictions": ["US-CT"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}]}',
	'verified_secondary',
	'AG notice is due no later than the resident notice: given the same outer limit.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_de_breach',
	'Delaware data breach notification',
	'US-DE',
	'6 Del. C. 12B-102',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General if >500 residents',
	'determination of the breach',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://delcode.delaware.gov/title6/c012b/index.html',
	'{"applies": {"jurisdictions": ["US-DE"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 60, "unit": "calendar_days", "required_when": {"subjects_min": 501, "count_in": "jurisdiction"}}]}',
	'verified_secondary',
	'Statute counts from the determination of the breach; counted from discovery (conservative). AG notice timing not in the reference: given the resident deadline.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_in_breach',
	'Indiana data breach notification',
	'US-IN',
	'Ind. Code 24-4.9-3-3',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General (any breach requiring notice)',
	'discovery of the breach',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://iga.in.gov/laws/2024/ic/titles/24#24-4.9-3-3',
	'{"applies": {"jurisdictions": ["US-IN"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Indiana/Indianapolis", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'verified_secondary',
	'AG notice timing not in the reference: given the resident deadline.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_az_breach',
	'Arizona data breach notification',
	'US-AZ',
	'A.R.S. 18-552(B)',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG, 3 CRAs and AZ Dept of Homeland Security if >1,000 individuals, within 45 days',
	'determination that there has been a breach (after investigation)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://www.azleg.gov/ars/18/00552.htm',
	'{"applies": {"jurisdictions": ["US-AZ"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Phoenix", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the AG, the three CRAs and AZ DOHS", "start": "discovered_at", "duration": 45, "unit": "calendar_days", "required_when": {"subjects_min": 1001, "count_in": "jurisdiction"}}]}',
	'verified_secondary',
	'Statute counts from the determination of the breach; counted from discovery (conservative).');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_al_breach',
	'Alabama data breach notification',
	'US-AL',
	'Ala. Code 8-38-5',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General if >1,000 residents (secondary)',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://alisondb.legislature.state.al.us/',
	'{"applies": {"jurisdictions": ["US-AL"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Chicago", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 45, "unit": "calendar_days", "required_when": {"subjects_min": 1001, "count_in": "jurisdiction"}}]}',
	'verified_secondary',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG notice (>1,000 residents, secondary) timing not in the reference: given the resident deadline.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_md_breach',
	'Maryland data breach notification',
	'US-MD',
	'Md. Code Com. Law 14-3504',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG/regulator thresholds vary - not verified',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://mgaleg.maryland.gov/',
	'{"applies": {"jurisdictions": ["US-MD"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'verified_secondary',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG/regulator notice thresholds not verified: not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_oh_breach',
	'Ohio data breach notification',
	'US-OH',
	'Ohio Rev. Code 1349.19',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG/regulator thresholds vary - not verified',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://codes.ohio.gov/ohio-revised-code/section-1349.19',
	'{"applies": {"jurisdictions": ["US-OH"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'verified_secondary',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG/regulator notice thresholds not verified: not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_or_breach',
	'Oregon data breach notification',
	'US-OR',
	'ORS 646A.604',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG/regulator thresholds vary - not verified',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://oregon.public.law/statutes/ors_646A.604',
	'{"applies": {"jurisdictions": ["US-OR"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Los_Angeles", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'verified_secondary',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG/regulator notice thresholds not verified: not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_wi_breach',
	'Wisconsin data breach notification',
	'US-WI',
	'Wis. Stat. 134.98',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG/regulator thresholds vary - not verified',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://docs.legis.wisconsin.gov/statutes/statutes/134/98',
	'{"applies": {"jurisdictions": ["US-WI"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Chicago", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'verified_secondary',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG/regulator notice thresholds not verified: not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_tn_breach',
	'Tennessee data breach notification',
	'US-TN',
	'Tenn. Code 47-18-2107',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG/regulator thresholds vary - not verified',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://www.tn.gov/',
	'{"applies": {"jurisdictions": ["US-TN"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Chicago", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'partially_verified',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG/regulator notice thresholds not verified: not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_nm_breach',
	'New Mexico data breach notification',
	'US-NM',
	'N.M. Stat. 57-12C-6',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG/regulator thresholds vary - not verified',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://nmonesource.com/',
	'{"applies": {"jurisdictions": ["US-NM"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Denver", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}]}',
	'partially_verified',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG/regulator notice thresholds not verified: not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_ri_breach',
	'Rhode Island data breach notification',
	'US-RI',
	'R.I. Gen. Laws 11-49.3-4',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General if >500 RI residents',
	'discovery/determination of breach (wording varies by state)',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'http://webserver.rilegislature.gov/Statutes/TITLE11/11-49.3/11-49.3-4.htm',
	'{"applies": {"jurisdictions": ["US-RI"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/New_York", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 45, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 45, "unit": "calendar_days", "required_when": {"subjects_min": 501, "count_in": "jurisdiction"}}]}',
	'verified_secondary',
	'Trigger wording (discovery/determination) unverified; counted from discovery (conservative). AG notice timing not in the reference: given the resident deadline.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_la_breach',
	'Louisiana data breach notification',
	'US-LA',
	'La. R.S. 51:3074',
	'individuals (+ AG/regulator where stated)',
	'affected residents; AG notice within 10 days of distributing resident notice (from memory, unverified)',
	'discovery of the breach',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://legis.la.gov/legis/Law.aspx?d=322030',
	'{"applies": {"jurisdictions": ["US-LA"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Chicago", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "phase:notification", "duration": 10, "unit": "calendar_days"}]}',
	'verified_secondary',
	'AG notice within 10 days of the resident notice is from memory, unverified.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_sd_breach',
	'South Dakota data breach notification',
	'US-SD',
	'SDCL 22-40-20',
	'individuals (+ AG/regulator where stated)',
	'affected residents; Attorney General if >250 residents',
	'discovery of the breach',
	'most expedient time possible / without unreasonable delay, with fixed outer limit',
	'https://sdlegislature.gov/Statutes/22-40-20',
	'{"applies": {"jurisdictions": ["US-SD"], "encryption_safe_harbor": true}, "calendar": {"tz": "America/Chicago", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to affected residents", "start": "discovered_at", "duration": 60, "unit": "calendar_days"}, {"id": "attorney_general", "name": "Notice to the Attorney General", "start": "discovered_at", "duration": 60, "unit": "calendar_days", "required_when": {"subjects_min": 251, "count_in": "jurisdiction"}}]}',
	'verified_secondary',
	'AG notice timing not in the reference: given the resident deadline.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'us_pr_daco',
	'Puerto Rico - Department of Consumer Affairs (DACO) notice',
	'US-PR',
	'10 L.P.R.A. 4051 et seq. (Act 111-2005)',
	'regulator',
	'Departamento de Asuntos del Consumidor (DACO)',
	'detection of the breach',
	'within 10 days',
	'https://bvirtualogp.pr.gov/',
	'{"applies": {"jurisdictions": ["US-PR", "PR"]}, "calendar": {"tz": "America/Puerto_Rico", "holidays": "us"}, "phases": [{"id": "notification", "name": "Notice to DACO", "start": "discovered_at", "duration": 10, "unit": "calendar_days"}]}',
	'verified_secondary',
	'No encryption safe harbor applied (not in the reference). Puerto Rico holidays other than US federal ones not in the ''us'' set (calendar days, so only the zone matters). Notice to residents not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'br_lgpd_anpd_res15_art6',
	'LGPD security incident - communication to ANPD',
	'Brazil',
	'LGPD (Lei 13.709/2018) art. 48; Resolução CD/ANPD nº 15/2024 (Regulamento de Comunicação de Incidente de Segurança) Anexo arts. 5-6',
	'regulator',
	'ANPD (via electronic form, by the encarregado/representative)',
	'controller''s knowledge that the incident affected personal data (art. 6 §1)',
	'no prazo de três dias úteis, ressalvada prazo em legislação específica; complement within 20 working days of the communication',
	'https://www.in.gov.br/en/web/dou/-/resolucao-cd/anpd-n-15-de-24-de-abril-de-2024-556243024',
	'{"applies": {"jurisdictions": ["BR"], "role": "controller", "min_risk": "risk"}, "calendar": {"tz": "America/Sao_Paulo", "holidays": "br"}, "phases": [{"id": "notification", "name": "Communication to the ANPD", "start": "aware_at", "duration": 3, "unit": "business_days", "required_when": {"sectors_none": ["lgpd_small_agent"]}}, {"id": "complement", "name": "Complementary information to the ANPD", "start": "phase:notification", "duration": 20, "unit": "business_days", "required_when": {"sectors_none": ["lgpd_small_agent"]}}, {"id": "notification_small", "name": "Communication to the ANPD (small processing agent)", "start": "aware_at", "duration": 6, "unit": "business_days", "required_when": {"sectors_any": ["lgpd_small_agent"]}}, {"id": "complement_small", "name": "Complementary information to the ANPD (small processing agent)", "start": "phase:notification_small", "duration": 40, "unit": "business_days", "required_when": {"sectors_any": ["lgpd_small_agent"]}}]}',
	'verified',
	'min_risk ''risk'' stands for ''relevant risk or damage'' (Res 15 art 5); the data-category condition is for the handler. Small agents: periods doubled (art 6 §8). Only national holidays; Brasília/state holidays and periods in specific legislation not applied.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'br_lgpd_anpd_res15_art9',
	'LGPD security incident - communication to data subjects (titulares)',
	'Brazil',
	'Resolução CD/ANPD nº 15/2024 Anexo art. 9',
	'individuals',
	'affected titulares (direct and individual where identifiable; otherwise public notice for at least 3 months)',
	'controller''s knowledge that the incident affected personal data',
	'três dias úteis; declaration of communication to ANPD within 3 working days after end of the caput period (art 9 §4)',
	'https://www.in.gov.br/en/web/dou/-/resolucao-cd/anpd-n-15-de-24-de-abril-de-2024-556243024',
	'{"applies": {"jurisdictions": ["BR"], "role": "controller", "min_risk": "risk"}, "calendar": {"tz": "America/Sao_Paulo", "holidays": "br"}, "phases": [{"id": "notification", "name": "Communication to the data subjects (titulares)", "start": "aware_at", "duration": 3, "unit": "business_days", "required_when": {"sectors_none": ["lgpd_small_agent"]}}, {"id": "declaration", "name": "Declaration to the ANPD that titulares were informed", "start": "aware_at", "duration": 6, "unit": "business_days", "required_when": {"sectors_none": ["lgpd_small_agent"]}}, {"id": "notification_small", "name": "Communication to the data subjects (small processing agent)", "start": "aware_at", "duration": 6, "unit": "business_days", "required_when": {"sectors_any": ["lgpd_small_agent"]}}, {"id": "declaration_small", "name": "Declaration to the ANPD (small processing agent)", "start": "aware_at", "duration": 9, "unit": "business_days", "required_when": {"sectors_any": ["lgpd_small_agent"]}}]}',
	'verified',
	'Declaration due 3 working days after the end of the caput period, i.e. 3+3 from knowledge (small agents: doubled caput 6, plus 3 = 9; whether §4 is also doubled is unverified). Only national holidays.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'sg_pdpa_26c_26d',
	'PDPA mandatory data breach notification',
	'Singapore',
	'PDPA 2012 ss. 26A-26E (Part 6A); PDP (Notification of Data Breaches) Regulations 2021',
	'regulator',
	'Personal Data Protection Commission (PDPC); affected individuals on or after notifying PDPC',
	'day the organisation ASSESSES that the breach is notifiable',
	'as soon as practicable, but in any case no later than 3 calendar days after the day the organisation makes that assessment',
	'https://sso.agc.gov.sg/Act/PDPA2012?ProvIds=pr26D-',
	'{"applies": {"jurisdictions": ["SG"], "role": "controller", "determination": "sg_notifiable"}, "calendar": {"tz": "Asia/Singapore", "holidays": null}, "phases": [{"id": "notification", "name": "Notification to the PDPC", "start": "determination", "duration": 3, "unit": "calendar_days"}, {"id": "individuals", "name": "Notification to affected individuals", "start": "phase:notification", "unit": "none", "target_hours": 72, "required_when": {"min_risk": "risk"}}]}',
	'verified',
	'Individuals: on or after notifying the PDPC, only on the significant-harm limb (min_risk ''risk''); no fixed period: 72 h organisation target. Assessment within ~30 days (PDPC guide, secondary) and data intermediary notice (without undue delay) not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'au_ndb',
	'Notifiable Data Breaches scheme',
	'Australia',
	'Privacy Act 1988 (Cth) Part IIIC ss. 26WH, 26WK, 26WL',
	'regulator',
	'OAIC (Commissioner) statement; individuals/at-risk individuals or publication',
	'entity aware of reasonable grounds to SUSPECT an eligible data breach (assessment) / to BELIEVE (notification)',
	'assessment: take all reasonable steps to complete within 30 days; statement to Commissioner and notification: as soon as practicable',
	'https://www.legislation.gov.au/C2004A03712/latest/text',
	'{"applies": {"jurisdictions": ["AU"], "min_risk": "risk"}, "calendar": {"tz": "Australia/Sydney", "holidays": null}, "phases": [{"id": "assessment", "name": "Assessment of the suspected eligible data breach", "start": "discovered_at", "duration": 30, "unit": "calendar_days"}, {"id": "notification", "name": "Statement to the OAIC (Commissioner)", "start": "aware_at", "unit": "none", "target_hours": 72}, {"id": "individuals", "name": "Notification to individuals at risk", "start": "phase:notification", "unit": "none", "target_hours": 72}]}',
	'verified',
	'min_risk ''risk'' stands for ''likely to result in serious harm''. Statement and individual notices are ''as soon as practicable'': 72 h organisation targets; awareness stands for ''reasonable grounds to believe''.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'ca_pipeda_10_1',
	'PIPEDA breach of security safeguards',
	'Canada',
	'PIPEDA s. 10.1(1)-(7); Breach of Security Safeguards Regulations SOR/2018-64',
	'regulator',
	'Privacy Commissioner of Canada; affected individuals; other organisations that can mitigate (s10.2)',
	'organization determines that the breach has occurred',
	'as soon as feasible',
	'https://laws-lois.justice.gc.ca/eng/acts/P-8.6/section-10.1.html',
	'{"applies": {"jurisdictions": ["CA"], "role": "controller", "min_risk": "risk"}, "calendar": {"tz": "America/Toronto", "holidays": null}, "phases": [{"id": "notification", "name": "Report to the Privacy Commissioner of Canada", "start": "aware_at", "unit": "none", "target_hours": 72}, {"id": "individuals", "name": "Notification to affected individuals", "start": "aware_at", "unit": "none", "target_hours": 72}]}',
	'verified',
	'''As soon as feasible'': 72 h organisation targets. min_risk ''risk'' stands for ''real risk of significant harm''. Notice to other organisations (s10.2) and provincial regimes not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'in_dpdp_rule7',
	'DPDP Rules 2025 - personal data breach intimation',
	'India',
	'DPDP Act 2023 s. 8(6); DPDP Rules 2025 Rule 7',
	'regulator',
	'Data Protection Board of India; each affected Data Principal',
	'Data Fiduciary becomes aware of any personal data breach',
	'Board: description without delay + detailed report within 72 hours (or longer period allowed by Board on written request); Data Principals: without delay',
	'https://www.meity.gov.in/ (DPDP Rules 2025, G.S.R. notification Nov 2025)',
	'{"applies": {"jurisdictions": ["IN"], "role": "controller"}, "calendar": {"tz": "Asia/Kolkata", "holidays": null}, "phases": [{"id": "initial", "name": "Initial intimation to the Data Protection Board", "start": "aware_at", "unit": "none", "target_hours": 24}, {"id": "notification", "name": "Detailed report to the Data Protection Board", "start": "aware_at", "duration": 72, "unit": "hours"}, {"id": "individuals", "name": "Intimation to each affected Data Principal", "start": "aware_at", "unit": "none", "target_hours": 72}]}',
	'verified',
	'''Without delay'' intimations: 24 h (Board) and 72 h (Data Principals) organisation targets. Commencement of Rule 7 unverified (believed ~May 2027): no effective_from set. Board extensions and CERT-In 6 h reporting not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'ch_nfadp_art24',
	'nFADP data security breach notification',
	'Switzerland',
	'Federal Act on Data Protection (FADP, SR 235.1) Art. 24 (in force 1 Sep 2023)',
	'regulator',
	'FDPIC; data subjects if required for their protection or if FDPIC requests',
	'controller becomes aware (implied)',
	'as quickly as possible (''so rasch als möglich'')',
	'https://www.fedlex.admin.ch/eli/cc/2022/491/en#art_24',
	'{"applies": {"jurisdictions": ["CH"]}, "calendar": {"tz": "Europe/Zurich", "holidays": null}, "phases": [{"id": "notification", "name": "Notification to the FDPIC", "start": "aware_at", "unit": "none", "target_hours": 72, "required_when": {"role": "controller", "min_risk": "high"}}, {"id": "controller", "name": "Processor notification to the controller", "start": "aware_at", "unit": "none", "target_hours": "controller_notice_hours", "required_when": {"role": "processor"}}]}',
	'verified',
	'''As quickly as possible'': 72 h organisation target (processor: the contract''s notice period). Notice to data subjects (if needed for their protection or on FDPIC request) not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'jp_appi_art26',
	'APPI leakage report to PPC',
	'Japan',
	'APPI Art. 26; PPC Enforcement Rules Art. 7 (reportable situations) & Art. 8 (preliminary/final reports); PPC General Guidelines 3-5-3',
	'regulator',
	'Personal Information Protection Commission (or delegated minister); individuals promptly (Art 26(2))',
	'business operator knows of the reportable situation (知った日)',
	'two-stage: preliminary (速報) promptly; final (確報) within 30 days (60 days for improper-purpose cases)',
	'https://www.ppc.go.jp/personalinfo/legal/guidelines_tsusoku/',
	'{"applies": {"jurisdictions": ["JP"], "encryption_safe_harbor": true}, "calendar": {"tz": "Asia/Tokyo", "holidays": null}, "phases": [{"id": "preliminary", "name": "Preliminary report to the PPC", "start": "aware_at", "unit": "none", "target_hours": 72, "required_when": {"role": "controller"}}, {"id": "notification", "name": "Final report to the PPC", "start": "aware_at", "duration": 30, "unit": "calendar_days", "required_when": {"role": "controller"}}, {"id": "individuals", "name": "Notice to affected individuals", "start": "aware_at", "unit": "none", "target_hours": 72, "required_when": {"role": "controller"}}, {"id": "principal", "name": "Entrusted party report to the principal", "start": "aware_at", "unit": "none", "target_hours": "controller_notice_hours", "required_when": {"role": "processor"}}]}',
	'verified_secondary',
	'Reportable situations (sensitive data, financial-damage risk, improper purpose, >1,000 people) are for the handler: applies to every breach. Preliminary report ''promptly'' (guideline 3-5 days): 72 h target. Final report: 30 days always (60 for improper-purpose cases not applied); day counting unverified.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'za_popia_s22',
	'POPIA security compromise notification',
	'South Africa',
	'POPIA (Act 4 of 2013) s. 22 (operator duty s. 21(2))',
	'regulator',
	'Information Regulator (eServices portal, Form SCN1) and data subjects (unless identity cannot be established)',
	'discovery of the compromise (reasonable grounds to believe PI accessed/acquired by unauthorised person)',
	'as soon as reasonably possible after discovery; delay only for law-enforcement needs or measures to determine scope/restore integrity',
	'https://popia.co.za/section-22-notification-of-security-compromises/',
	'{"applies": {"jurisdictions": ["ZA"]}, "calendar": {"tz": "Africa/Johannesburg", "holidays": null}, "phases": [{"id": "notification", "name": "Notification to the Information Regulator", "start": "discovered_at", "unit": "none", "target_hours": 72, "required_when": {"role": "controller"}}, {"id": "individuals", "name": "Notification to data subjects", "start": "discovered_at", "unit": "none", "target_hours": 72, "required_when": {"role": "controller"}}, {"id": "controller", "name": "Operator notification to the responsible party", "start": "discovered_at", "unit": "none", "target_hours": "controller_notice_hours", "required_when": {"role": "processor"}}]}',
	'verified_secondary',
	'''As soon as reasonably possible'': 72 h organisation targets (operator, s21(2) ''immediately'': the contract''s notice period). Law-enforcement delay not modelled.');

INSERT INTO regimes (id, name, jurisdiction, legal_source, notify, recipient,
	clock_start, deadline, citation_url, rule, status, notes) VALUES (
	'nz_privacy_act_s114',
	'Privacy Act 2020 notifiable privacy breach',
	'New Zealand',
	'Privacy Act 2020 ss. 112-115 (s114 Commissioner, s115 individuals)',
	'regulator',
	'Privacy Commissioner (NotifyUs) and affected individuals (or public notice)',
	'agency becomes aware that a notifiable privacy breach has occurred',
	'as soon as practicable; OPC guidance expects within 72 hours of becoming aware that it is notifiable (guide only)',
	'https://www.legislation.govt.nz/act/public/2020/0031/latest/LMS23488.html',
	'{"applies": {"jurisdictions": ["NZ"], "min_risk": "risk"}, "calendar": {"tz": "Pacific/Auckland", "holidays": null}, "phases": [{"id": "notification", "name": "Notification to the Privacy Commissioner", "start": "aware_at", "unit": "none", "target_hours": 72}, {"id": "individuals", "name": "Notification to affected individuals", "start": "aware_at", "unit": "none", "target_hours": 72}]}',
	'verified',
	'''As soon as practicable'': 72 h organisation target (OPC guidance). min_risk ''risk'' stands for ''serious harm''.');
