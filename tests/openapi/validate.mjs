// Validate docs/openapi.yaml against the official OpenAPI 3.1 JSON schema
// with @seriousme/openapi-schema-validator (package.json here; installed by
// .ci/install-deps with `npm ci --prefix tests/openapi`).
//
// usage: node validate.mjs SPEC.yaml
// Exit 0 when the document is a valid OpenAPI 3.1 description whose every
// $ref resolves; 1 (with the validator's errors) when it is not.  The
// validator is first shown a broken copy, which it must reject, so a
// validator that accepts anything fails the test too.
let Validator;
try {
	({ Validator } = await import("@seriousme/openapi-schema-validator"));
} catch (e) {
	console.error("the OpenAPI validator is not installed: run .ci/install-deps " +
	    "(npm ci --prefix tests/openapi): " + e.message);
	process.exit(1);
}

const spec = process.argv[2];
if (!spec) {
	console.error("usage: node validate.mjs SPEC.yaml");
	process.exit(2);
}

const v = new Validator();
const res = await v.validate(spec);
if (!res.valid) {
	console.error(`${spec}: not a valid OpenAPI ${v.version ?? "?"} description:`);
	console.error(JSON.stringify(res.errors, null, 2));
	process.exit(1);
}
if (v.version !== "3.1") {
	console.error(`${spec}: OpenAPI ${v.version}, want 3.1`);
	process.exit(1);
}
try {
	v.resolveRefs();
} catch (e) {
	console.error(`${spec}: a $ref does not resolve: ${e.message}`);
	process.exit(1);
}

// The validator must reject a broken copy (a path item with a bad
// operation) as well.
const broken = structuredClone(v.specification);
const first = Object.keys(broken.paths)[0];
broken.paths[first].get = { responses: "none" };
const bad = await new Validator().validate(broken);
if (bad.valid) {
	console.error("the validator accepted a broken document");
	process.exit(1);
}

const n = Object.keys(v.specification.paths).length;
console.log(`ok: ${spec} is a valid OpenAPI ${v.version} description (${n} paths)`);
