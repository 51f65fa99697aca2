// The function examples/serverless.lua deploys: answers with a greeting and the log level.
const { greeting } = require("./lib/greeting");

exports.handle = async (event, context) => ({
  statusCode: 200,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ message: greeting(event.queryStringParameters?.name), level: process.env.LOG_LEVEL }),
});
