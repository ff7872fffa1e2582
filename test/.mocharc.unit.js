// All of test/unit, unless test files are named on the command line: then only those (mocha adds a config's
// spec to the named files, so a .json config ran the whole stage when one file was asked for).
const named = process.argv.slice(2).some((a) => /\.test\.js$/.test(a));
module.exports = {
  spec: named ? [] : ['out/test/unit/**/*.test.js'],
  timeout: 10000,
  reporter: 'test/reporter.js',
};
