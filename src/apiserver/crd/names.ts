// Kubernetes' name formats (k8s.io/apimachinery/pkg/util/validation), with its messages.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function check(value: string, max: number, pattern: RegExp, message: string): string[] {
  const problems: string[] = [];
  if (value.length > max) problems.push(`must be no more than ${max} characters`);
  if (!pattern.test(value)) problems.push(message);
  return problems;
}

/** Problems of a DNS-1123 label (plural, singular, short names); empty when valid. */
export function dns1123LabelProblems(value: string): string[] {
  return check(value, 63, DNS1123_LABEL, LABEL_MESSAGE);
}

/** Problems of a DNS-1123 subdomain (object names, API groups); empty when valid. */
export function dns1123SubdomainProblems(value: string): string[] {
  return check(value, 253, DNS1123_SUBDOMAIN, SUBDOMAIN_MESSAGE);
}

/** Problems of a DNS-1035 label (version names, lowercased kinds); empty when valid. */
export function dns1035LabelProblems(value: string): string[] {
  return check(value, 63, DNS1035_LABEL, DNS1035_MESSAGE);
}
