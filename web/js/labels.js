// labels.js: the words people read for the API's enum values.

// IncidentCreate.data_categories, in the order of the ICO's tick list.
export const DATA_CATEGORIES = {
	basic_identifiers: 'Names, dates of birth, other basic identifiers',
	contact_details: 'Contact details (addresses, e-mail, phone)',
	identification_documents: 'ID documents (passport, driving licence)',
	credentials: 'Usernames and passwords',
	financial: 'Financial (bank, card, salary)',
	location: 'Location data',
	health: 'Health data',
	genetic: 'Genetic data',
	biometric: 'Biometric data',
	racial_ethnic_origin: 'Racial or ethnic origin',
	political_opinions: 'Political opinions',
	religious_beliefs: 'Religious or philosophical beliefs',
	trade_union: 'Trade union membership',
	sex_life_orientation: 'Sex life or sexual orientation',
	criminal_offence: 'Criminal convictions or offences',
	children: "Children's data",
	communications: 'Content of communications',
	other: 'Other',
};

// The few a reporter is asked about first; the rest stay one click away.
export const COMMON_DATA_CATEGORIES = ['basic_identifiers', 'contact_details',
	'financial', 'credentials', 'health', 'identification_documents'];

export const SUBJECT_CATEGORIES = {
	employees: 'Employees',
	customers: 'Customers',
	prospective_customers: 'Prospective customers',
	children: 'Children',
	vulnerable_adults: 'Vulnerable adults',
	patients: 'Patients',
	students: 'Students',
	users: 'Users',
	members: 'Members',
	suppliers: 'Suppliers',
	other: 'Other',
	unknown: 'Not known yet',
};

export const STATUSES = {
	suspected: 'Suspected',
	investigating: 'Investigating',
	confirmed: 'Confirmed',
	not_a_breach: 'Not a breach',
	contained: 'Contained',
	closed: 'Closed',
};

export const RISKS = {
	unlikely: 'Unlikely to result in a risk',
	risk: 'A risk to people',
	high: 'A high risk to people',
};

// The short words for a risk decision (badges, tables, filters).
export const RISKS_SHORT = {
	unlikely: 'Unlikely',
	risk: 'Risk',
	high: 'High',
};

// An incident with no risk decision yet reads the same on every page.
export const RISK_UNDECIDED = 'Not decided';

// The words for risk decision value in table (RISKS_SHORT unless given),
// or RISK_UNDECIDED when there is none (null, or "none" in a filter).
export function riskLabel(value, table = RISKS_SHORT) {
	if (value === null || value === undefined || value === '' ||
	    value === 'none')
		return RISK_UNDECIDED;
	return label(table, value);
}

export const OBLIGATION_STATES = {
	pending: 'Pending',
	met: 'Met',
	missed: 'Missed',
	not_required: 'Not required',
	waived: 'Waived',
};

// IncidentCause (after the ICO's breach types); `not_recorded` is the
// reports API's group for incidents with no cause yet.
export const CAUSES = {
	phishing: 'Phishing',
	malware: 'Malware',
	ransomware: 'Ransomware',
	brute_force: 'Brute force attack',
	denial_of_service: 'Denial of service',
	system_misconfiguration: 'Hardware or software misconfiguration',
	insecure_webpage: 'Insecure webpage',
	unauthorised_access: 'Unauthorised access',
	misdirected_email: 'Data e-mailed to the wrong recipient',
	failure_to_use_bcc: 'Failure to use bcc',
	misdirected_post: 'Data posted or faxed to the wrong recipient',
	verbal_disclosure: 'Verbal disclosure',
	failure_to_redact: 'Failure to redact',
	alteration_of_data: 'Alteration of personal data',
	lost_or_stolen_device: 'Loss or theft of a device',
	lost_or_stolen_paperwork: 'Loss or theft of paperwork',
	insecure_disposal: 'Insecure disposal',
	other: 'Other',
	unknown: 'Not yet known',
	not_recorded: 'Not recorded',
};

// The label for value in table, else value with underscores as spaces.
export function label(table, value) {
	if (value === null || value === undefined)
		return '';
	return table[value] || String(value).replace(/_/g, ' ');
}
