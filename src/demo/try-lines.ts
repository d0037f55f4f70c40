/** The requests the demo prints to try, against its real ports (pure). */
export function tryLines(base: string, admin: string, token: string): string[] {
  return [
    '',
    'Try:',
    `  curl -s ${base}/v1/models/fraud:predict -H 'content-type: application/json' -H 'x-user-id: alice' \\`,
    `       -d '{"instances": [{"amount": 120.5, "merchant_risk": 0.3, "hour": 23, "country": "BR"}]}' -i`,
    `  curl -s ${base}/v2/models/fraud/infer -H 'content-type: application/json' -H 'x-user-id: bob' \\`,
    `       -d '{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP64", "data": [120.5, 0.3, 23]}]}'`,
    `  curl -s ${base}/v1/models/fraud:predict -H 'content-type: application/json' -H 'x-modelgate-variant: v2' -d '{"instances": [[50, 0.1, 12, "US"]]}' -i`,
    `  curl -s ${base}/metrics | grep '^modelgate_requests_total'`,
    `  curl -s ${admin}/admin/routes/fraud -H 'authorization: Bearer ${token}' -i`,
    `  MODELGATE_ADMIN_URL=${admin} MODELGATE_ADMIN_TOKEN=${token} npx modelgate ctl weights fraud v1=75 v2=25`,
  ];
}
