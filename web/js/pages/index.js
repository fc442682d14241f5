// index.html, the dashboard. A visitor who is not signed in is sent to
// the sign-in page before the dashboard's code loads, so that the first
// page anyone sees stays light.

import { loginUrl, session } from '../api.js';

let signedIn = true;
try {
	signedIn = (await session()) !== null;
} catch (e) {
	// The server is unreachable: the dashboard says so.
}
if (signedIn)
	await import('../dashboard.js');
else
	location.replace(loginUrl());
