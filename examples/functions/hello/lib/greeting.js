exports.greeting = (name) => `Hello, ${name || "world"}!`;
