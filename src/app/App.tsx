// The app: the session gate (login, PIN), then the shell with the router. Only the case form
// is in the entry chunk: it is the capture path's first screen and its weight is budgeted
// (≤ 45 KB gzip, `npm run bench`). Every other screen is a lazy chunk, precached by the
// service worker like the entry, so each opens offline too.
import { lazy, LocationProvider, Route, Router } from 'preact-iso';
import { Shell } from './components/Shell.tsx';
import { CaseForm } from './screens/CaseForm/CaseForm.tsx';
import { SessionGate } from './session/index.ts';

const Home = lazy(() => import('./screens/Home/Home.tsx').then((m) => m.Home));
const CaseList = lazy(() => import('./screens/CaseList/CaseList.tsx').then((m) => m.CaseList));
const OutreachForm = lazy(() => import('./screens/Outreach/OutreachForm.tsx').then((m) => m.OutreachForm));
const OutreachList = lazy(() => import('./screens/Outreach/OutreachList.tsx').then((m) => m.OutreachList));
const Sweep = lazy(() => import('./screens/Sweep/Sweep.tsx').then((m) => m.Sweep));
// A record's detail and the device page come after a list or a form: not needed to start.
const CaseDetail = lazy(() => import('./screens/CaseDetail/CaseDetail.tsx').then((m) => m.CaseDetail));
const OutreachDetail = lazy(() => import('./screens/Outreach/OutreachDetail.tsx').then((m) => m.OutreachDetail));
const About = lazy(() => import('./screens/About/About.tsx').then((m) => m.About));
const SyncLog = lazy(() => import('./screens/SyncLog/SyncLog.tsx').then((m) => m.SyncLog));
const PrintRegister = lazy(() => import('./screens/Print/PrintRegister.tsx').then((m) => m.PrintRegister));
const PrintAgreement = lazy(() => import('./screens/Print/PrintAgreement.tsx').then((m) => m.PrintAgreement));
const PrintRecord = lazy(() => import('./screens/Print/PrintRecord.tsx').then((m) => m.PrintRecord));
// Office statistics, exports and the report: a separate chunk the capture screens never load.
const Office = lazy(() => import('./screens/Office/index.tsx'));
// Admin (org tree, accounts, audit): a separate chunk, loaded only on /admin.
const Admin = lazy(() => import('./screens/Admin/index.tsx'));

function NotFound() {
  return (
    <section>
      <h2>找不到这个页面</h2>
      <p>
        <a href="/">回到首页</a>
      </p>
    </section>
  );
}

export function App() {
  return (
    <SessionGate>
      <LocationProvider>
        <Shell>
          <Router>
            <Route path="/" component={Home} />
            <Route path="/cases" component={CaseList} />
            <Route path="/cases/new" component={CaseForm} />
            <Route path="/cases/:id/print/register" component={PrintRegister} />
            <Route path="/cases/:id/print/agreement" component={PrintAgreement} />
            <Route path="/cases/:id/print/record" component={PrintRecord} />
            <Route path="/cases/:id" component={CaseDetail} />
            <Route path="/outreach" component={OutreachList} />
            <Route path="/outreach/new" component={OutreachForm} />
            <Route path="/outreach/:id" component={OutreachDetail} />
            <Route path="/sweep" component={Sweep} />
            <Route path="/about" component={About} />
            <Route path="/sync-log" component={SyncLog} />
            <Route path="/office" component={Office} />
            <Route path="/office/records" component={Office} />
            <Route path="/office/report" component={Office} />
            <Route path="/office/ledgers" component={Office} />
            <Route path="/office/pivot" component={Office} />
            <Route path="/office/completeness" component={Office} />
            <Route path="/office/meeting-summary" component={Office} />
            <Route path="/office/returns" component={Office} />
            <Route path="/office/alerts" component={Office} />
            <Route path="/office/alerts/:id/print" component={Office} />
            <Route path="/office/typical" component={Office} />
            <Route path="/office/subsidy" component={Office} />
            <Route path="/admin" component={Admin} />
            <Route path="/admin/*" component={Admin} />
            <Route default component={NotFound} />
          </Router>
        </Shell>
      </LocationProvider>
    </SessionGate>
  );
}
