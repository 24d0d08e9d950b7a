// A CouchDB-compatible peer for the sync benchmark: express-pouchdb over PouchDB with
// LevelDB on disk (the same durability class as our SQLite store). Usage: node pouch-server.cjs PORT DIR
const express = require('express');
const PouchDB = require('pouchdb-node');
const [port, dir] = process.argv.slice(2);
const Pouch = PouchDB.defaults({ prefix: dir.endsWith('/') ? dir : dir + '/' });
const app = express();
app.use('/', require('express-pouchdb')(Pouch, { mode: 'minimumForPouchDB', logPath: dir + '/log.txt' }));
app.listen(Number(port), '127.0.0.1', () => console.log('ready'));
