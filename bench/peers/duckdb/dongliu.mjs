// DuckDB peer of policies/dongliu-2019.wz (see ../SPEC.md), through DuckDB's
// Node API (@duckdb/node-api, installed by bench/peers/duckdb/setup.sh).
// Usage: node dongliu.mjs FACTS_DIR OUT_PAY_CSV   (DUCKDB_THREADS, default 2)
//
// The fact files are read with read_csv and explicit column types (dates are
// DATE, so an impossible date is an error; decimals stay text until the SQL
// has checked them), then dongliu.sql computes everything in HUGEINT and this
// script only formats the integer cents of the table "pay".
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
    process.stderr.write('usage: node dongliu.mjs FACTS_DIR OUT_PAY_CSV\n');
    process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));

// name → [column, type] in the order of the CSV file; optional files may be absent
const tables = {
    params: [['name', 'VARCHAR'], ['value', 'VARCHAR']],
    staff: [['id', 'VARCHAR'], ['name', 'VARCHAR'], ['gender', 'VARCHAR'], ['birth_date', 'DATE'],
            ['post', 'VARCHAR'], ['status', 'VARCHAR']],
    leave: [['id', 'VARCHAR'], ['date', 'DATE'], ['kind', 'VARCHAR'], ['days', 'VARCHAR']],
    signin: [['id', 'VARCHAR'], ['date', 'DATE'], ['missed', 'INTEGER']],
    workload: [['id', 'VARCHAR'], ['weekly_hours', 'VARCHAR']],
    routine: [['id', 'VARCHAR'], ['routine', 'VARCHAR'], ['research', 'VARCHAR']],
    research_override: [['id', 'VARCHAR'], ['research', 'VARCHAR']],
    results: [['id', 'VARCHAR'], ['score', 'VARCHAR']],
    discipline: [['id', 'VARCHAR'], ['date', 'DATE'], ['level', 'VARCHAR']],
    class_teacher: [['id', 'VARCHAR'], ['students', 'INTEGER'], ['score', 'VARCHAR']],
};
const optional = new Set(['research_override', 'class_teacher']);
const q = (s) => "'" + s.replaceAll("'", "''") + "'";

const db = await DuckDBInstance.create(':memory:', { threads: process.env.DUCKDB_THREADS ?? '2' });
const con = await db.connect();
// a decimal of the input in thousandths (exact once ok3 holds), and the check itself
await con.run(`CREATE MACRO ok3(v) AS regexp_full_match(v, '[0-9]+(\\.[0-9]{1,3})?')`);
await con.run(`CREATE MACRO m(v) AS CAST(CAST(v AS DECIMAL(38, 3)) * 1000 AS HUGEINT)`);
for (const [name, cols] of Object.entries(tables)) {
    const file = join(dir, name + '.csv');
    if (optional.has(name) && !existsSync(file)) {
        await con.run(`CREATE TABLE ${name} (${cols.map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
        continue;
    }
    const spec = cols.map(([c, t]) => `${q(c)}: ${q(t)}`).join(', ');
    await con.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv(${q(file)}, header = true, delim = ',',
                   quote = '"', auto_detect = false, columns = {${spec}}, dateformat = '%Y-%m-%d')`);
}
await con.run(readFileSync(join(here, 'dongliu.sql'), 'utf8'));

const failed = (await con.runAndReadAll('SELECT what FROM checks WHERE NOT coalesce(ok, false)')).getRows();
if (failed.length > 0) {
    for (const [what] of failed) process.stderr.write(`dongliu.sql: ${what}\n`);
    process.exit(1);
}
const cents = (c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
const rows = (await con.runAndReadAll('SELECT id, basis, reward_c, stipend_c FROM pay ORDER BY ord')).getRows();
let text = 'person,basis,reward,stipend,amount\n';
for (const [id, basis, reward, stipend] of rows) {
    const r = BigInt(reward), s = BigInt(stipend);
    text += `${id},${basis},${cents(r)},${cents(s)},${cents(r + s)}\n`;
}
writeFileSync(out, text);
