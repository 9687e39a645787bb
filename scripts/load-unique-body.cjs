// autocannon `setupRequest` for scripts/load.ts (loaded by path inside autocannon's worker thread,
// hence plain CommonJS): gives every request its own training-data size, so that every estimate is
// computed — none can be answered from the service's estimate cache. The count starts at a random
// offset so that a measured run does not repeat the bodies of its warm-up.
const { randomInt } = require("node:crypto");

let next = randomInt(2 ** 40);

module.exports = function uniqueTokens(request) {
  const body = JSON.parse(String(request.body));
  body.tokens = 1e9 + next++;
  request.body = JSON.stringify(body);
  return request;
};
